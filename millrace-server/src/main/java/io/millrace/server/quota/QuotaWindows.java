package io.millrace.server.quota;

import io.millrace.common.config.BrokerConfig;

/**
 * How client quota rates are measured, as Kafka: over {@code samples} samples
 * ({@code quota.window.num}, 11) of {@code windowMs} each ({@code quota.window.size.seconds}, 1 s);
 * controller mutation quotas by {@code controller.quota.window.num} and
 * {@code controller.quota.window.size.seconds} (11 x 1 s), which size their token bucket's burst.
 */
public record QuotaWindows(int samples, long windowMs) {
    public static final String WINDOW_NUM = "quota.window.num";
    public static final String WINDOW_SIZE_SECONDS = "quota.window.size.seconds";

    public QuotaWindows {
        if (samples < 1 || windowMs < 1) {
            throw new IllegalArgumentException("Quota windows need at least one sample of at least 1 ms");
        }
    }

    public static QuotaWindows from(BrokerConfig config) {
        return new QuotaWindows(config.getInt(WINDOW_NUM), config.getInt(WINDOW_SIZE_SECONDS) * 1000L);
    }

    /** The windows of controller mutation quotas (KIP-599). */
    public static QuotaWindows controllerFrom(BrokerConfig config) {
        return new QuotaWindows(config.getInt("controller." + WINDOW_NUM),
                config.getInt("controller." + WINDOW_SIZE_SECONDS) * 1000L);
    }
}
