package io.millrace.common.config;

import static io.millrace.common.config.ConfigType.BOOLEAN;
import static io.millrace.common.config.ConfigType.DOUBLE;
import static io.millrace.common.config.ConfigType.INT;
import static io.millrace.common.config.ConfigType.LIST;
import static io.millrace.common.config.ConfigType.LONG;
import static io.millrace.common.config.ConfigType.STRING;
import static io.millrace.common.config.Support.IGNORED;
import static io.millrace.common.config.Support.UNSUPPORTED;
import static io.millrace.common.config.Validator.atLeast;
import static io.millrace.common.config.Validator.between;
import static io.millrace.common.config.Validator.listOf;
import static io.millrace.common.config.Validator.oneOf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Topic-level configuration keys (Kafka's names, types, defaults and validation), each with its
 * broker-level synonyms in Kafka's order of precedence. A topic's effective value is its own
 * override, else the first broker synonym that has a value (converted from minutes or hours to
 * ms where needed), else the key's default. Stateless and thread-safe.
 */
public final class TopicConfigs {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String ERRORS_DEADLETTERQUEUE_GROUP_ENABLE = "errors.deadletterqueue.group.enable";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String PREALLOCATE = "preallocate";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String SEGMENT_JITTER_MS = "segment.jitter.ms";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 3_600_000L;

    /** A broker key standing in for a topic key; {@code unitMs} converts its value to ms (1 = as is). */
    private record BrokerSynonym(String name, long unitMs) {
    }

    private static final Map<String, List<BrokerSynonym>> SYNONYMS = new LinkedHashMap<>();

    /** Every topic key, alphabetically as Kafka documents them. */
    public static final ConfigDef DEF = build();

    private TopicConfigs() {
    }

    private static ConfigDef build() {
        ConfigDef.Builder b = ConfigDef.builder();
        topic(b, CLEANUP_POLICY, LIST, "delete", listOf(false, "compact", "delete"),
                "delete drops old segments past retention; compact keeps the latest record of each key.",
                BrokerConfigs.LOG_CLEANUP_POLICY);
        topic(b, IGNORED, "compression.gzip.level", INT, -1, ServerKeys.gzipLevel(),
                "gzip level when compression.type=gzip.", "compression.gzip.level");
        topic(b, IGNORED, "compression.lz4.level", INT, 9, between(1, 17), "lz4 level when compression.type=lz4.",
                "compression.lz4.level");
        topic(b, IGNORED, COMPRESSION_TYPE, STRING, "producer",
                oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                "Compression of stored batches; producer keeps what the producer sent.", BrokerConfigs.COMPRESSION_TYPE);
        topic(b, IGNORED, "compression.zstd.level", INT, 3, between(-131072, 22),
                "zstd level when compression.type=zstd.", "compression.zstd.level");
        topic(b, DELETE_RETENTION_MS, LONG, 86400000L, atLeast(0), "How long tombstones stay in a compacted topic.",
                BrokerConfigs.LOG_CLEANER_DELETE_RETENTION_MS);
        topic(b, ERRORS_DEADLETTERQUEUE_GROUP_ENABLE, BOOLEAN, false, Validator.ANY,
                "Whether share groups may write their undeliverable records to this topic (KIP-1191).");
        topic(b, FILE_DELETE_DELAY_MS, LONG, 60000L, atLeast(0), "Delay before a removed segment's files are deleted.",
                BrokerConfigs.LOG_SEGMENT_DELETE_DELAY_MS);
        topic(b, FLUSH_MESSAGES, LONG, Long.MAX_VALUE, atLeast(1), "fsync after this many messages.",
                BrokerConfigs.LOG_FLUSH_INTERVAL_MESSAGES);
        topic(b, FLUSH_MS, LONG, Long.MAX_VALUE, atLeast(0), "fsync when unflushed data is this old.",
                BrokerConfigs.LOG_FLUSH_INTERVAL_MS, BrokerConfigs.LOG_FLUSH_SCHEDULER_INTERVAL_MS);
        topic(b, IGNORED, "follower.replication.throttled.replicas", LIST, "", Validator.ANY,
                "Replicas throttled on the follower side.");
        topic(b, INDEX_INTERVAL_BYTES, INT, 4096, atLeast(0), "Bytes of log between two offset index entries.",
                BrokerConfigs.LOG_INDEX_INTERVAL_BYTES);
        topic(b, IGNORED, "leader.replication.throttled.replicas", LIST, "", Validator.ANY,
                "Replicas throttled on the leader side.");
        topic(b, IGNORED, "local.retention.bytes", LONG, -2L, atLeast(-2), "Local size limit with tiered storage.",
                "log.local.retention.bytes");
        topic(b, IGNORED, "local.retention.ms", LONG, -2L, atLeast(-2), "Local retention with tiered storage.",
                "log.local.retention.ms");
        topic(b, MAX_COMPACTION_LAG_MS, LONG, Long.MAX_VALUE, atLeast(1),
                "Greatest age before a record must be compacted.",
                BrokerConfigs.LOG_CLEANER_MAX_COMPACTION_LAG_MS);
        topic(b, MAX_MESSAGE_BYTES, INT, 1048588, atLeast(0), "Largest record batch accepted, after compression.",
                BrokerConfigs.MESSAGE_MAX_BYTES);
        topic(b, IGNORED, "message.downconversion.enable", BOOLEAN, true, Validator.ANY,
                "Whether records are down-converted for old consumers.", "log.message.downconversion.enable");
        topic(b, MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG, 3600000L, atLeast(0),
                "How far in the future a CreateTime timestamp may be.", BrokerConfigs.LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS);
        topic(b, MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG, Long.MAX_VALUE, atLeast(0),
                "How far in the past a CreateTime timestamp may be.", BrokerConfigs.LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
        topic(b, MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime", oneOf("CreateTime", "LogAppendTime"),
                "Keep the producer's timestamp (CreateTime) or stamp the append time (LogAppendTime).",
                BrokerConfigs.LOG_MESSAGE_TIMESTAMP_TYPE);
        topic(b, MIN_CLEANABLE_DIRTY_RATIO, DOUBLE, 0.5, between(0, 1), "Least dirty fraction before compaction.",
                BrokerConfigs.LOG_CLEANER_MIN_CLEANABLE_RATIO);
        topic(b, MIN_COMPACTION_LAG_MS, LONG, 0L, atLeast(0), "Least age before a record may be compacted.",
                BrokerConfigs.LOG_CLEANER_MIN_COMPACTION_LAG_MS);
        topic(b, MIN_INSYNC_REPLICAS, INT, 1, atLeast(1), "Replicas that must acknowledge an acks=all write.",
                BrokerConfigs.MIN_INSYNC_REPLICAS);
        topic(b, PREALLOCATE, BOOLEAN, false, Validator.ANY, "Preallocate new segment files.",
                BrokerConfigs.LOG_PREALLOCATE);
        topic(b, IGNORED, "remote.log.copy.disable", BOOLEAN, false, Validator.ANY,
                "Whether copying to tiered storage is stopped.");
        topic(b, IGNORED, "remote.log.delete.on.disable", BOOLEAN, false, Validator.ANY,
                "Whether tiered data is deleted when tiered storage is disabled.");
        topic(b, UNSUPPORTED, "remote.storage.enable", BOOLEAN, false, Validator.ANY,
                "Whether the topic is kept in tiered storage.");
        topic(b, RETENTION_BYTES, LONG, -1L, Validator.ANY, "Largest size of a partition; -1 for no limit.",
                BrokerConfigs.LOG_RETENTION_BYTES);
        topic(b, RETENTION_MS, LONG, 604800000L, atLeast(-1), "How long segments are kept; -1 forever.",
                BrokerConfigs.LOG_RETENTION_MS, BrokerConfigs.LOG_RETENTION_MINUTES, BrokerConfigs.LOG_RETENTION_HOURS);
        topic(b, SEGMENT_BYTES, INT, 1073741824, atLeast(LogKeys.ONE_MEBIBYTE), "Largest size of one segment file.",
                BrokerConfigs.LOG_SEGMENT_BYTES);
        topic(b, SEGMENT_INDEX_BYTES, INT, 10485760, atLeast(4), "Largest size of a segment's offset index.",
                BrokerConfigs.LOG_INDEX_SIZE_MAX_BYTES);
        topic(b, IGNORED, SEGMENT_JITTER_MS, LONG, 0L, atLeast(0), "Most random time taken off segment.ms.",
                BrokerConfigs.LOG_ROLL_JITTER_MS, BrokerConfigs.LOG_ROLL_JITTER_HOURS);
        topic(b, SEGMENT_MS, LONG, 604800000L, atLeast(1), "Longest time before a segment is rolled.",
                BrokerConfigs.LOG_ROLL_MS, BrokerConfigs.LOG_ROLL_HOURS);
        topic(b, UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false, Validator.ANY,
                "Whether a replica outside the ISR may become leader, losing data.",
                BrokerConfigs.UNCLEAN_LEADER_ELECTION_ENABLE);
        return b.build();
    }

    private static void topic(ConfigDef.Builder b, String name, ConfigType type, Object defaultValue,
                              Validator validator, String doc, String... brokerSynonyms) {
        topic(b, Support.ACTED_ON, name, type, defaultValue, validator, doc, brokerSynonyms);
    }

    private static void topic(ConfigDef.Builder b, Support support, String name, ConfigType type, Object defaultValue,
                              Validator validator, String doc, String... brokerSynonyms) {
        b.define(support, name, type, defaultValue, validator, doc);
        List<BrokerSynonym> synonyms = new ArrayList<>();
        for (String broker : brokerSynonyms) {
            long unit = broker.endsWith(".hours") ? HOUR_MS : broker.endsWith(".minutes") ? MINUTE_MS : 1;
            synonyms.add(new BrokerSynonym(broker, unit));
        }
        SYNONYMS.put(name, List.copyOf(synonyms));
    }

    /**
     * Checks one topic override and returns its typed value. ConfigException for an unknown key
     * or an invalid value; the server answers INVALID_CONFIG with its message.
     */
    public static Object validate(String key, String value) {
        ConfigKey k = DEF.key(key);
        if (k == null) {
            throw new ConfigException("Unknown topic configuration '" + key + "'");
        }
        if (value == null) {
            throw new ConfigException(key, null, "a value is required");
        }
        return k.parse(value);
    }

    /** The broker keys whose value a topic without an override of {@code topicKey} takes, in order. */
    public static List<String> synonyms(String topicKey) {
        List<BrokerSynonym> synonyms = SYNONYMS.get(topicKey);
        if (synonyms == null) {
            throw new IllegalArgumentException("Unknown topic configuration '" + topicKey + "'");
        }
        return synonyms.stream().map(BrokerSynonym::name).toList();
    }

    /**
     * The broker-level default of every topic key, typed: for each key, the first of its broker
     * synonyms that has a value in {@code brokerValue} (a typed lookup, null for no value), in ms
     * where the synonym is in minutes or hours; else the topic key's own default.
     */
    public static Map<String, Object> brokerDefaults(Function<String, Object> brokerValue) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (ConfigKey key : DEF.keys()) {
            Object value = key.defaultValue();
            for (BrokerSynonym synonym : SYNONYMS.get(key.name())) {
                Object brokerSide = brokerValue.apply(synonym.name());
                if (brokerSide != null) {
                    value = toTopicValue(key, synonym, brokerSide);
                    break;
                }
            }
            defaults.put(key.name(), value);
        }
        return Collections.unmodifiableMap(defaults);
    }

    /**
     * A topic's effective, typed configuration: each override in {@code overrides} (validated),
     * else the value in {@code topicDefaults} (from {@link BrokerConfig#topicDefaults()}).
     * ConfigException for an unknown key, an invalid value, or min.compaction.lag.ms greater than
     * max.compaction.lag.ms.
     */
    public static Map<String, Object> resolve(Map<String, Object> topicDefaults, Map<String, String> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : DEF.keys()) {
            values.put(key.name(), topicDefaults.getOrDefault(key.name(), key.defaultValue()));
        }
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            values.put(override.getKey(), validate(override.getKey(), override.getValue()));
        }
        long minLag = (Long) values.get(MIN_COMPACTION_LAG_MS);
        long maxLag = (Long) values.get(MAX_COMPACTION_LAG_MS);
        if (minLag > maxLag) {
            throw new ConfigException(MIN_COMPACTION_LAG_MS, minLag,
                    "must not be greater than " + MAX_COMPACTION_LAG_MS + " (" + maxLag + ")");
        }
        return Collections.unmodifiableMap(values);
    }

    /** Checks every override of a topic at once, as a create or alter request would apply them. */
    public static void validateAll(Map<String, Object> topicDefaults, Map<String, String> overrides) {
        resolve(topicDefaults, overrides);
    }

    private static Object toTopicValue(ConfigKey key, BrokerSynonym synonym, Object brokerValue) {
        Object value = brokerValue;
        if (synonym.unitMs() != 1 || key.name().equals(RETENTION_MS)) {
            long amount = ((Number) brokerValue).longValue();
            // Kafka: any negative retention means "forever" (-1); a negative unit count too.
            value = amount < 0 ? -1L : Math.multiplyExact(amount, synonym.unitMs());
        }
        return ConfigValues.coerce(key.name(), key.type(), value);
    }
}
