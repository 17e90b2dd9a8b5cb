package io.millrace.common.config;

/**
 * How far Millrace honours a configuration key. A key is "set" when it is given with a value
 * other than its default; only a set key can be ignored or refused.
 */
public enum Support {
    /** The broker reads the key and behaves as Apache Kafka documents. */
    ACTED_ON,
    /**
     * Accepted for compatibility, with no effect, and harmless to ignore (tuning of a mechanism
     * Millrace does differently or not at all). Set keys are named in one warning at start-up.
     */
    IGNORED,
    /**
     * Asks for a mechanism Millrace does not have yet (TLS, SASL, authorization, quotas, ...),
     * where running without it would be unsafe or misleading. Only the default is accepted: a
     * set key stops start-up, and is refused (INVALID_CONFIG) as a runtime update.
     */
    UNSUPPORTED
}
