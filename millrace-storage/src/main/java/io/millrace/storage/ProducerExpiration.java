package io.millrace.storage;

/**
 * When idle producers' state is forgotten: Kafka's {@code producer.id.expiration.ms} (a producer
 * whose last batch or marker is older than that and that has no open transaction) checked every
 * {@code producer.id.expiration.check.interval.ms} on the "log-retention" thread.
 */
public record ProducerExpiration(long expirationMs, long checkIntervalMs) {
    /** Kafka's defaults: one day, checked every ten minutes. */
    public static final ProducerExpiration DEFAULT = new ProducerExpiration(86_400_000L, 600_000L);

    public ProducerExpiration {
        if (expirationMs < 1 || checkIntervalMs < 1) {
            throw new IllegalArgumentException("producer.id.expiration.ms and its check interval must be positive");
        }
    }
}
