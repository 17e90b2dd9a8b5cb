package io.millrace.storage;

import java.util.function.LongSupplier;

/**
 * When idle producers' state is forgotten: Kafka's {@code producer.id.expiration.ms} (a producer
 * whose last batch or marker is older than that and that has no open transaction; read at every
 * check, as the broker may change it at run time) checked every
 * {@code producer.id.expiration.check.interval.ms} on the "log-retention" thread.
 */
public record ProducerExpiration(LongSupplier expirationMs, long checkIntervalMs) {
    /** Kafka's defaults: one day, checked every ten minutes. */
    public static final ProducerExpiration DEFAULT = fixed(86_400_000L, 600_000L);

    public ProducerExpiration {
        if (checkIntervalMs < 1) {
            throw new IllegalArgumentException("producer.id.expiration.check.interval.ms must be positive");
        }
    }

    public static ProducerExpiration fixed(long expirationMs, long checkIntervalMs) {
        return new ProducerExpiration(() -> expirationMs, checkIntervalMs);
    }
}
