package io.millrace.server.txn;

import org.apache.kafka.common.protocol.Errors;

/**
 * Translates the transaction coordinator's answers to a verification (KIP-890) into what the
 * producer is told, as Kafka 4.4's broker does. Pure; thread-safe.
 */
public final class VerificationErrors {
    private VerificationErrors() {
    }

    /**
     * A partition's error in the coordinator's AddPartitionsToTxn answer, as the leader keeps it:
     * producers expect INVALID_PRODUCER_EPOCH rather than PRODUCER_FENCED here, and clients that
     * predate TRANSACTION_ABORTABLE get INVALID_TXN_STATE instead.
     */
    public static Errors fromCoordinator(Errors error, VerificationMode mode) {
        if (error == Errors.PRODUCER_FENCED) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (error == Errors.TRANSACTION_ABORTABLE && mode == VerificationMode.VERIFY_LEGACY_ERRORS) {
            return Errors.INVALID_TXN_STATE;
        }
        return error;
    }

    /** A request-level error of the coordinator's answer (no per-partition results). */
    public static Errors fromCoordinatorRequest(Errors error) {
        // The producer must not see the broker's own authorization failure.
        return error == Errors.CLUSTER_AUTHORIZATION_FAILED ? Errors.INVALID_TXN_STATE : error;
    }

    /**
     * What Produce answers for a partition whose verification failed: retriable failures to reach
     * or use the coordinator become NOT_ENOUGH_REPLICAS, which every producer retries without
     * refreshing metadata; at transaction version 2 CONCURRENT_TRANSACTIONS stays itself (it is
     * common while the previous transaction completes, and 4.x clients retry it), as Kafka 4.x answers.
     */
    public static Failure forProduce(Errors error, VerificationMode mode) {
        if (error == Errors.CONCURRENT_TRANSACTIONS && mode == VerificationMode.ADD_PARTITION) {
            return new Failure(error, null);
        }
        return switch (error) {
            case INVALID_TXN_STATE -> new Failure(error, "Partition was not added to the transaction");
            case CONCURRENT_TRANSACTIONS, NETWORK_EXCEPTION, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE,
                 NOT_COORDINATOR -> new Failure(Errors.NOT_ENOUGH_REPLICAS,
                    "Unable to verify the partition has been added to the transaction. Underlying error: " + error);
            default -> new Failure(error, null);
        };
    }

    /** An error and its message (null for the error's default). */
    public record Failure(Errors error, String message) {
    }
}
