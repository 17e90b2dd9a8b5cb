package io.millrace.server.txn;

/**
 * How a partition leader checks a transactional write with the transaction coordinator
 * (KIP-890), chosen by the version of the client's request, as Kafka 4.4 chooses it.
 *
 * <ul>
 *   <li>{@link #VERIFY_LEGACY_ERRORS}: transaction version 1, a client that does not know
 *       TRANSACTION_ABORTABLE (Produce up to v10, TxnOffsetCommit up to v3): verify only; a
 *       partition not in the transaction is answered INVALID_TXN_STATE.</li>
 *   <li>{@link #VERIFY}: transaction version 1, a client that handles TRANSACTION_ABORTABLE
 *       (Produce v11, TxnOffsetCommit v4): verify only, errors as the coordinator answers.</li>
 *   <li>{@link #ADD_PARTITION}: transaction version 2 (Produce v12+, TxnOffsetCommit v5+): the
 *       coordinator adds the partition to the transaction itself (KIP-890 part 2).</li>
 * </ul>
 * Immutable.
 */
public enum VerificationMode {
    VERIFY_LEGACY_ERRORS,
    VERIFY,
    ADD_PARTITION;

    private static final short PRODUCE_TRANSACTION_ABORTABLE = 11;
    private static final short PRODUCE_TRANSACTION_V2 = 12;
    private static final short TXN_OFFSET_COMMIT_TRANSACTION_ABORTABLE = 4;
    private static final short TXN_OFFSET_COMMIT_TRANSACTION_V2 = 5;

    public static VerificationMode forProduce(short apiVersion) {
        return of(apiVersion, PRODUCE_TRANSACTION_ABORTABLE, PRODUCE_TRANSACTION_V2);
    }

    public static VerificationMode forTxnOffsetCommit(short apiVersion) {
        return of(apiVersion, TXN_OFFSET_COMMIT_TRANSACTION_ABORTABLE, TXN_OFFSET_COMMIT_TRANSACTION_V2);
    }

    private static VerificationMode of(short version, short abortable, short transactionV2) {
        if (version >= transactionV2) {
            return ADD_PARTITION;
        }
        return version >= abortable ? VERIFY : VERIFY_LEGACY_ERRORS;
    }

    /** Whether the AddPartitionsToTxn sent to the coordinator only checks (transaction version 1). */
    public boolean verifyOnly() {
        return this != ADD_PARTITION;
    }
}
