package io.millrace.storage;

/**
 * Ties a transactional write to the check a partition leader made with the transaction
 * coordinator before appending it (KIP-890; Kafka's {@code VerificationGuard}). The leader starts
 * a verification on the partition ({@link PartitionLog#startTransactionVerification}), which hands
 * out the producer's current guard; the append carries it, and a batch that would begin its
 * producer's transaction here is written only while that guard is still the producer's current
 * one. Writing any transactional batch or marker of the producer ends the verification, so a
 * verified batch delayed until after its transaction ended (a marker came first) no longer
 * matches and is refused with INVALID_TXN_STATE instead of opening a transaction the coordinator
 * knows nothing of. Guards compare by identity.
 *
 * <p>Immutable; thread-safe.
 */
public final class VerificationGuard {
    /** The append is not held to a verification: the leader does not verify (transactions off, verification disabled). */
    public static final VerificationGuard UNCHECKED = new VerificationGuard("unchecked");
    /** No verification was made because the transaction was open already: the batch is written only if it still is. */
    public static final VerificationGuard NONE = new VerificationGuard("none");

    private final String name;

    VerificationGuard() {
        this("verified");
    }

    private VerificationGuard(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return "VerificationGuard(" + name + "@" + Integer.toHexString(System.identityHashCode(this)) + ")";
    }
}
