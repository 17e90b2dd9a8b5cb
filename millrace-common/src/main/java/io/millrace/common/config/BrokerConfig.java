package io.millrace.common.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The broker's static configuration: Apache Kafka's server.properties keys and meanings.
 * CONTRACT STUB: the config implementation replaces the bodies. Immutable and thread-safe.
 */
public final class BrokerConfig {

    /**
     * Parses and validates {@code props} (as read from server.properties plus overrides).
     * Unknown keys are logged once as a warning; an invalid value throws ConfigException naming
     * the key and the value.
     */
    public static BrokerConfig fromProperties(Map<String, String> props) {
        throw new UnsupportedOperationException();
    }

    /** The keys and values exactly as given. */
    public Map<String, String> originals() { throw new UnsupportedOperationException(); }

    /** The typed effective value of a known broker key: the given value, else its default. */
    public Object get(String key) { throw new UnsupportedOperationException(); }

    /** True when {@code key} was given explicitly. */
    public boolean isSet(String key) { throw new UnsupportedOperationException(); }

    public int nodeId() { throw new UnsupportedOperationException(); }

    public List<Endpoint> listeners() { throw new UnsupportedOperationException(); }

    /** advertised.listeners, or the listeners when unset (0.0.0.0 replaced by the host name). */
    public List<Endpoint> advertisedListeners() { throw new UnsupportedOperationException(); }

    public List<Path> logDirs() { throw new UnsupportedOperationException(); }

    public int numPartitions() { throw new UnsupportedOperationException(); }

    public short defaultReplicationFactor() { throw new UnsupportedOperationException(); }

    public boolean autoCreateTopicsEnable() { throw new UnsupportedOperationException(); }

    public long logRetentionCheckIntervalMs() { throw new UnsupportedOperationException(); }

    /**
     * The broker-level defaults of every topic-level key (retention.ms from
     * log.retention.ms/minutes/hours, segment.bytes from log.segment.bytes, ...), typed.
     */
    public Map<String, Object> topicDefaults() { throw new UnsupportedOperationException(); }
}
