package io.millrace.server.config;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.TopicConfigs;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.storage.LogConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.record.TimestampType;

/**
 * Effective topic settings: a topic's overrides over the broker's defaults, where the broker's
 * defaults are its static config with the dynamic broker configs of the current metadata image
 * on top. Thread-safe: computed from immutable inputs.
 */
public final class BrokerTopicConfigs implements TopicConfigResolver {
    private final BrokerConfig staticConfig;
    private final Supplier<MetadataImage> image;
    private volatile Cached cached;
    /** Shared with {@link ConfigDescriber}, so each ignored key is logged once per broker. */
    final NotActedOnConfigs notActedOn = new NotActedOnConfigs();

    public BrokerTopicConfigs(BrokerConfig staticConfig, Supplier<MetadataImage> image) {
        this.staticConfig = staticConfig;
        this.image = image;
    }

    /** The broker config in force now: static keys plus dynamic broker configs. */
    public BrokerConfig effectiveBrokerConfig() {
        MetadataImage current = image.get();
        Map<String, String> clusterDefaults = current.brokerConfig("");
        Map<String, String> perBroker = current.brokerConfig(Integer.toString(staticConfig.nodeId()));
        Cached c = cached;
        if (c == null || !c.clusterDefaults.equals(clusterDefaults) || !c.perBroker.equals(perBroker)) {
            c = new Cached(clusterDefaults, perBroker, staticConfig.withDynamic(clusterDefaults, perBroker));
            cached = c;
        }
        return c.config;
    }

    /**
     * Null when {@code value} is valid for topic key {@code name} and supported, else why not.
     * A key Millrace ignores is accepted with a warning, once per key.
     */
    public String check(String name, String value) {
        try {
            TopicConfigs.validate(name, value);
            return notActedOn.check("Topic", TopicConfigs.DEF.key(name), value);
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    public Map<String, Object> effective(Map<String, String> overrides) {
        return TopicConfigs.resolve(effectiveBrokerConfig().topicDefaults(), overrides);
    }

    @Override
    public LogConfig logConfig(TopicImage topic) {
        return toLogConfig(effective(topic.configs()));
    }

    @Override
    public int minInsyncReplicas(TopicImage topic) {
        return ((Number) effective(topic.configs()).get(TopicConfigs.MIN_INSYNC_REPLICAS)).intValue();
    }

    static LogConfig toLogConfig(Map<String, Object> v) {
        List<String> policy = asList(v.get(TopicConfigs.CLEANUP_POLICY));
        TimestampType timestampType = "LogAppendTime".equalsIgnoreCase(String.valueOf(v.get(TopicConfigs.MESSAGE_TIMESTAMP_TYPE)))
                ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
        return new LogConfig(
                intOf(v, TopicConfigs.SEGMENT_BYTES),
                longOf(v, TopicConfigs.SEGMENT_MS),
                longOf(v, TopicConfigs.RETENTION_MS),
                longOf(v, TopicConfigs.RETENTION_BYTES),
                intOf(v, TopicConfigs.MAX_MESSAGE_BYTES),
                policy.contains("compact"),
                policy.contains("delete"),
                timestampType,
                longOf(v, TopicConfigs.MESSAGE_TIMESTAMP_BEFORE_MAX_MS),
                longOf(v, TopicConfigs.MESSAGE_TIMESTAMP_AFTER_MAX_MS),
                longOf(v, TopicConfigs.FLUSH_MESSAGES),
                longOf(v, TopicConfigs.FLUSH_MS),
                intOf(v, TopicConfigs.INDEX_INTERVAL_BYTES),
                intOf(v, TopicConfigs.SEGMENT_INDEX_BYTES),
                longOf(v, TopicConfigs.FILE_DELETE_DELAY_MS),
                longOf(v, TopicConfigs.DELETE_RETENTION_MS),
                ((Number) v.get(TopicConfigs.MIN_CLEANABLE_DIRTY_RATIO)).doubleValue(),
                longOf(v, TopicConfigs.MIN_COMPACTION_LAG_MS),
                longOf(v, TopicConfigs.MAX_COMPACTION_LAG_MS),
                Boolean.TRUE.equals(v.get(TopicConfigs.PREALLOCATE)));
    }

    private static List<String> asList(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(o -> String.valueOf(o).trim()).toList();
        }
        return List.of(String.valueOf(value).split("\\s*,\\s*"));
    }

    private static int intOf(Map<String, Object> v, String key) {
        return ((Number) v.get(key)).intValue();
    }

    private static long longOf(Map<String, Object> v, String key) {
        return ((Number) v.get(key)).longValue();
    }

    private record Cached(Map<String, String> clusterDefaults, Map<String, String> perBroker, BrokerConfig config) {
    }
}
