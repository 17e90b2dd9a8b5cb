package io.millrace.common.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's configuration: Apache Kafka's server.properties keys and meanings
 * ({@link BrokerConfigs}), plus the dynamic values set at runtime through
 * IncrementalAlterConfigs. An effective value is, highest first: the per-broker dynamic value,
 * the cluster-wide dynamic default, the static (server.properties) value, the default.
 *
 * <p>Immutable and thread-safe: a dynamic change builds a new instance with {@link #withDynamic}.
 */
public final class BrokerConfig {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfig.class);

    private final Map<String, String> originals;
    private final Map<String, String> dynamicDefaults;
    private final Map<String, String> dynamicPerBroker;
    private final Map<String, Object> values;
    private final List<String> controllerListenerNames;
    private final List<Endpoint> listeners;
    private final List<Endpoint> advertisedListeners;
    private final Map<String, String> protocolMap;
    private final List<Path> logDirs;
    private final Map<String, Object> topicDefaults;

    private BrokerConfig(Map<String, String> originals, Map<String, String> dynamicDefaults,
                         Map<String, String> dynamicPerBroker) {
        this.originals = Collections.unmodifiableMap(new TreeMap<>(originals));
        this.dynamicDefaults = Collections.unmodifiableMap(new TreeMap<>(dynamicDefaults));
        this.dynamicPerBroker = Collections.unmodifiableMap(new TreeMap<>(dynamicPerBroker));
        Map<String, String> merged = new HashMap<>(originals);
        merged.putAll(dynamicDefaults);
        merged.putAll(dynamicPerBroker);
        Map<String, Object> parsed = new LinkedHashMap<>(BrokerConfigs.DEF.parse(merged));
        aliasNodeId(merged, parsed);
        this.values = Collections.unmodifiableMap(parsed);

        this.controllerListenerNames = ListenerConfigs.names(getString(BrokerConfigs.CONTROLLER_LISTENER_NAMES));
        this.listeners = ListenerConfigs.listeners(getString(BrokerConfigs.LISTENERS));
        this.protocolMap = ListenerConfigs.protocolMap(getString(BrokerConfigs.LISTENER_SECURITY_PROTOCOL_MAP),
                listeners, controllerListenerNames);
        this.advertisedListeners = ListenerConfigs.advertised(getString(BrokerConfigs.ADVERTISED_LISTENERS),
                listeners, controllerListenerNames);
        checkListenerNames();
        checkRange(BrokerConfigs.GROUP_MIN_SESSION_TIMEOUT_MS, BrokerConfigs.GROUP_MAX_SESSION_TIMEOUT_MS);
        checkRange("group.consumer.min.session.timeout.ms", "group.consumer.max.session.timeout.ms");
        checkRange("group.consumer.min.heartbeat.interval.ms", "group.consumer.max.heartbeat.interval.ms");
        checkRange("group.streams.min.session.timeout.ms", "group.streams.max.session.timeout.ms");
        checkRange("group.streams.min.heartbeat.interval.ms", "group.streams.max.heartbeat.interval.ms");
        this.logDirs = parseLogDirs();
        this.topicDefaults = TopicConfigs.brokerDefaults(values::get);
    }

    /**
     * Parses and validates {@code props} (as read from server.properties plus overrides).
     * An invalid value, or a setting Millrace does not support yet ({@link Support#UNSUPPORTED},
     * a listener that is not PLAINTEXT), throws ConfigException with a one-line message naming
     * the key. Unknown keys are logged in one warning, and keys Millrace ignores in another.
     */
    public static BrokerConfig fromProperties(Map<String, String> props) {
        return fromProperties(props, LOG::warn);
    }

    /** As {@link #fromProperties(Map)}, handing each warning line to {@code warnings}. */
    public static BrokerConfig fromProperties(Map<String, String> props, Consumer<String> warnings) {
        BrokerConfig config = parsed(props);
        UnsupportedSettings.refuse(config);
        List<String> unknown = unknownKeys(props);
        if (!unknown.isEmpty()) {
            warnings.accept("Ignoring unknown configuration keys: " + String.join(", ", unknown));
        }
        List<String> ignored = UnsupportedSettings.ignored(config);
        if (!ignored.isEmpty()) {
            warnings.accept("Ignoring configuration keys Millrace accepts but does not act on yet: "
                    + String.join(", ", ignored));
        }
        return config;
    }

    /** {@code props} parsed and validated, unsupported settings and all; no warnings. */
    static BrokerConfig parsed(Map<String, String> props) {
        return new BrokerConfig(props, Map.of(), Map.of());
    }

    /**
     * The keys of {@code props} that are not broker keys, sorted. Kafka's per-listener overrides
     * ({@code listener.name.NAME.key}) are not counted as unknown.
     */
    public static List<String> unknownKeys(Map<String, String> props) {
        List<String> unknown = new ArrayList<>(BrokerConfigs.DEF.unknown(props.keySet()));
        unknown.removeIf(key -> key.startsWith(BrokerConfigs.LISTENER_OVERRIDE_PREFIX));
        return unknown;
    }

    /** Every key at its default. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(Map.of(), Map.of(), Map.of());
    }

    /**
     * This configuration with the dynamic values held by the cluster: {@code clusterDefaults}
     * (set for all brokers) and {@code perBroker} (set for this node), which replace any earlier
     * dynamic values. Updates are checked when they are made ({@link BrokerConfigs#validateDynamic});
     * an entry that still does not apply here (unknown, read-only or invalid, say written by
     * another version) is skipped with a warning rather than failing the broker.
     */
    public BrokerConfig withDynamic(Map<String, String> clusterDefaults, Map<String, String> perBroker) {
        return new BrokerConfig(originals, applicable(clusterDefaults, false), applicable(perBroker, true));
    }

    private static Map<String, String> applicable(Map<String, String> dynamic, boolean perBroker) {
        Map<String, String> kept = new HashMap<>();
        dynamic.forEach((key, value) -> {
            if (!perBroker && ListenerSslKeys.parse(key).isPresent()) {
                LOG.warn("Ignoring dynamic configuration {}: key stores and trust stores are set per broker", key);
                return;
            }
            try {
                BrokerConfigs.validateDynamic(key, value);
                kept.put(key, value);
            } catch (ConfigException e) {
                LOG.warn("Ignoring dynamic configuration: {}", e.getMessage());
            }
        });
        return kept;
    }

    /** The keys and values exactly as given (server.properties plus overrides), unknown ones too. */
    public Map<String, String> originals() {
        return originals;
    }

    /**
     * The value of a per-listener key ({@code listener.name.NAME.key}) as given: the per-broker
     * dynamic value (key stores and trust stores, see {@link ListenerSslKeys}), else the static one;
     * null when neither is given.
     */
    public String listenerOverride(String prefixedKey) {
        String dynamic = dynamicPerBroker.get(prefixedKey);
        return dynamic != null ? dynamic : originals.get(prefixedKey);
    }

    /** The cluster-wide dynamic values in effect. */
    public Map<String, String> dynamicClusterDefaults() {
        return dynamicDefaults;
    }

    /** The dynamic values in effect for this broker alone. */
    public Map<String, String> dynamicPerBroker() {
        return dynamicPerBroker;
    }

    /** The typed effective value of a known broker key: the given value, else its default (may be null). */
    public Object get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("Unknown broker configuration '" + key + "'");
        }
        return values.get(key);
    }

    /** True when {@code key} was given explicitly, statically or dynamically. */
    public boolean isSet(String key) {
        return originals.containsKey(key) || dynamicDefaults.containsKey(key) || dynamicPerBroker.containsKey(key);
    }

    /** Where the effective value of {@code key} comes from. */
    public ConfigSource source(String key) {
        if (dynamicPerBroker.containsKey(key)) {
            return ConfigSource.DYNAMIC_BROKER_CONFIG;
        }
        if (dynamicDefaults.containsKey(key)) {
            return ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
        }
        return originals.containsKey(key) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
    }

    public int getInt(String key) {
        return (Integer) require(key);
    }

    public long getLong(String key) {
        return (Long) require(key);
    }

    public short getShort(String key) {
        return (Short) require(key);
    }

    public double getDouble(String key) {
        return (Double) require(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) require(key);
    }

    /** A STRING, CLASS or PASSWORD value; null when unset without a default. */
    public String getString(String key) {
        return (String) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) require(key);
    }

    public int nodeId() {
        return getInt(BrokerConfigs.NODE_ID);
    }

    /** process.roles: "broker", "controller" or both. */
    public List<String> processRoles() {
        return getList(BrokerConfigs.PROCESS_ROLES);
    }

    /** cluster.id when configured. */
    public Optional<String> clusterId() {
        return Optional.ofNullable(getString(BrokerConfigs.CLUSTER_ID));
    }

    public Optional<String> rack() {
        return Optional.ofNullable(getString(BrokerConfigs.BROKER_RACK));
    }

    /** The endpoints to bind, names upper-cased; an empty host is given as 0.0.0.0. */
    public List<Endpoint> listeners() {
        return listeners;
    }

    /**
     * advertised.listeners, or the listeners when unset (0.0.0.0 replaced by the host name);
     * controller listeners (controller.listener.names) are left out.
     */
    public List<Endpoint> advertisedListeners() {
        return advertisedListeners;
    }

    /** controller.listener.names, upper-cased; empty when unset. */
    public List<String> controllerListenerNames() {
        return controllerListenerNames;
    }

    /** The security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL) of a listener. */
    public String securityProtocol(String listenerName) {
        String protocol = protocolMap.get(listenerName);
        if (protocol == null) {
            throw new IllegalArgumentException("No listener named " + listenerName);
        }
        return protocol;
    }

    /** inter.broker.listener.name, else the listener named after security.inter.broker.protocol. */
    public String interBrokerListenerName() {
        String name = getString(BrokerConfigs.INTER_BROKER_LISTENER_NAME);
        return name != null ? name.toUpperCase(Locale.ROOT) : getString("security.inter.broker.protocol");
    }

    /** log.dirs, else log.dir, as absolute paths (relative ones resolve against the working directory). */
    public List<Path> logDirs() {
        return logDirs;
    }

    /** metadata.log.dir, else the first data directory. */
    public Path metadataLogDir() {
        String dir = getString(BrokerConfigs.METADATA_LOG_DIR);
        return dir == null ? logDirs.get(0) : toPath(BrokerConfigs.METADATA_LOG_DIR, dir);
    }

    public int numPartitions() {
        return getInt(BrokerConfigs.NUM_PARTITIONS);
    }

    public short defaultReplicationFactor() {
        return (short) getInt(BrokerConfigs.DEFAULT_REPLICATION_FACTOR);
    }

    public boolean autoCreateTopicsEnable() {
        return getBoolean(BrokerConfigs.AUTO_CREATE_TOPICS_ENABLE);
    }

    public boolean deleteTopicEnable() {
        return getBoolean(BrokerConfigs.DELETE_TOPIC_ENABLE);
    }

    public int messageMaxBytes() {
        return getInt(BrokerConfigs.MESSAGE_MAX_BYTES);
    }

    public int socketRequestMaxBytes() {
        return getInt(BrokerConfigs.SOCKET_REQUEST_MAX_BYTES);
    }

    public long logRetentionCheckIntervalMs() {
        return getLong(BrokerConfigs.LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    /** log.retention.ms / minutes / hours resolved to ms; -1 for no limit. */
    public long logRetentionMs() {
        return (Long) topicDefaults.get(TopicConfigs.RETENTION_MS);
    }

    /** log.roll.ms / log.roll.hours resolved to ms. */
    public long logRollMs() {
        return (Long) topicDefaults.get(TopicConfigs.SEGMENT_MS);
    }

    /** log.flush.interval.ms, else log.flush.scheduler.interval.ms. */
    public long logFlushIntervalMs() {
        return (Long) topicDefaults.get(TopicConfigs.FLUSH_MS);
    }

    public int offsetsTopicNumPartitions() {
        return getInt(BrokerConfigs.OFFSETS_TOPIC_NUM_PARTITIONS);
    }

    public short offsetsTopicReplicationFactor() {
        return getShort(BrokerConfigs.OFFSETS_TOPIC_REPLICATION_FACTOR);
    }

    public int transactionStateLogNumPartitions() {
        return getInt(BrokerConfigs.TRANSACTION_STATE_LOG_NUM_PARTITIONS);
    }

    public short transactionStateLogReplicationFactor() {
        return getShort(BrokerConfigs.TRANSACTION_STATE_LOG_REPLICATION_FACTOR);
    }

    /**
     * The broker-level defaults of every topic-level key (retention.ms from
     * log.retention.ms/minutes/hours, segment.bytes from log.segment.bytes, ...), typed.
     */
    public Map<String, Object> topicDefaults() {
        return topicDefaults;
    }

    /** A topic's effective typed configuration given its overrides; see {@link TopicConfigs#resolve}. */
    public Map<String, Object> topicConfig(Map<String, String> overrides) {
        return TopicConfigs.resolve(topicDefaults, overrides);
    }

    /** DescribeConfigs entries of this broker: every broker key, in definition order. */
    public List<DescribedConfig> describe() {
        return ConfigEntriesBuilder.describeBroker(this);
    }

    /** DescribeConfigs entries of a topic with {@code overrides}: every topic key. */
    public List<DescribedConfig> describeTopic(Map<String, String> overrides) {
        return ConfigEntriesBuilder.describeTopic(this, overrides);
    }

    @Override
    public String toString() {
        return "BrokerConfig(node.id=" + nodeId() + ", listeners=" + listeners + ", log.dirs=" + logDirs + ")";
    }

    private Object require(String key) {
        return Objects.requireNonNull(get(key), () -> key + " has no value");
    }

    /** node.id and broker.id name the same thing: either may be given; both must then agree. */
    private static void aliasNodeId(Map<String, String> given, Map<String, Object> parsed) {
        Object nodeId = parsed.get(BrokerConfigs.NODE_ID);
        Object brokerId = parsed.get(BrokerConfigs.BROKER_ID);
        boolean nodeGiven = given.containsKey(BrokerConfigs.NODE_ID);
        if (given.containsKey(BrokerConfigs.BROKER_ID)) {
            if (nodeGiven && !nodeId.equals(brokerId)) {
                throw new ConfigException(BrokerConfigs.BROKER_ID, brokerId, "must equal node.id (" + nodeId + ")");
            }
            parsed.put(BrokerConfigs.NODE_ID, brokerId);
        } else {
            parsed.put(BrokerConfigs.BROKER_ID, nodeId);
        }
    }

    private void checkListenerNames() {
        List<String> names = listeners.stream().map(Endpoint::listenerName).toList();
        String interBroker = getString(BrokerConfigs.INTER_BROKER_LISTENER_NAME);
        if (interBroker != null && !names.contains(interBroker.toUpperCase(Locale.ROOT))) {
            throw new ConfigException(BrokerConfigs.INTER_BROKER_LISTENER_NAME, interBroker,
                    "it is not one of the listeners " + names);
        }
        String interBrokerProtocol = originals.get("security.inter.broker.protocol");
        if (interBroker == null && interBrokerProtocol != null
                && !names.contains(interBrokerProtocol.trim().toUpperCase(Locale.ROOT))) {
            throw new ConfigException("security.inter.broker.protocol", interBrokerProtocol,
                    "brokers would connect to the listener of that name, which is not one of the listeners " + names);
        }
        if (!controllerListenerNames.isEmpty() && processRoles().contains("controller")
                && controllerListenerNames.stream().noneMatch(names::contains)) {
            throw new ConfigException(BrokerConfigs.CONTROLLER_LISTENER_NAMES,
                    getString(BrokerConfigs.CONTROLLER_LISTENER_NAMES),
                    "a controller needs one of these in listeners " + names);
        }
    }

    private void checkRange(String minKey, String maxKey) {
        int min = getInt(minKey);
        int max = getInt(maxKey);
        if (min > max) {
            throw new ConfigException(minKey, min, "must not be greater than " + maxKey + " (" + max + ")");
        }
    }

    private List<Path> parseLogDirs() {
        @SuppressWarnings("unchecked")
        List<String> dirs = (List<String>) get(BrokerConfigs.LOG_DIRS);
        String key = BrokerConfigs.LOG_DIRS;
        if (dirs == null || dirs.isEmpty() || dirs.stream().allMatch(String::isBlank)) {
            key = BrokerConfigs.LOG_DIR;
            dirs = List.of(getString(BrokerConfigs.LOG_DIR));
        }
        List<Path> paths = new ArrayList<>();
        for (String dir : dirs) {
            if (dir.isBlank()) {
                throw new ConfigException(key, ConfigValues.format(dirs), "a directory name is empty");
            }
            Path path = toPath(key, dir);
            if (paths.contains(path)) {
                throw new ConfigException(key, ConfigValues.format(dirs), "directory " + path + " is listed twice");
            }
            paths.add(path);
        }
        return List.copyOf(paths);
    }

    private static Path toPath(String key, String dir) {
        try {
            return Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(key, dir, "not a valid path");
        }
    }
}
