package io.millrace.coordinator.txn;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;

/**
 * The transaction coordinator's settings, read once from the broker config. Immutable.
 *
 * @param numPartitions                partitions of {@code __transaction_state} (transaction.state.log.num.partitions)
 * @param threads                      owner threads of the coordinator runtime
 * @param maxTimeoutMs                 transaction.max.timeout.ms
 * @param abortTimedOutIntervalMs      transaction.abort.timed.out.transaction.cleanup.interval.ms
 * @param transactionalIdExpirationMs  transactional.id.expiration.ms
 * @param removeExpiredIntervalMs      transaction.remove.expired.transaction.cleanup.interval.ms
 */
public record TransactionCoordinatorConfig(int numPartitions, int threads, int maxTimeoutMs,
                                           long abortTimedOutIntervalMs, long transactionalIdExpirationMs,
                                           long removeExpiredIntervalMs) {
    /** Few threads: transaction coordination is light next to group coordination. */
    static final int THREADS = 2;

    public static TransactionCoordinatorConfig from(BrokerConfig config) {
        return new TransactionCoordinatorConfig(config.transactionStateLogNumPartitions(), THREADS,
                config.getInt(BrokerConfigs.TRANSACTION_MAX_TIMEOUT_MS),
                config.getInt("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
                config.getInt(BrokerConfigs.TRANSACTIONAL_ID_EXPIRATION_MS),
                config.getInt("transaction.remove.expired.transaction.cleanup.interval.ms"));
    }
}
