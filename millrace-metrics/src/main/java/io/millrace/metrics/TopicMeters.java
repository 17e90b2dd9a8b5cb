package io.millrace.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bytes and messages in and out per topic, as Kafka's {@code BrokerTopicMetrics} (BytesInPerSec,
 * MessagesInPerSec, BytesOutPerSec; rates are the scraper's {@code rate()}). Recorded once per
 * partition per request, on whole batches: a topic's counters are looked up in a concurrent map
 * (no allocation once the topic has been seen) and added to.
 *
 * <p>Thread-safe.
 */
public final class TopicMeters {
    private static final String TOPIC = "topic";

    private final Counter bytesIn;
    private final Counter messagesIn;
    private final Counter bytesOut;
    private final ConcurrentHashMap<String, Meters> byTopic = new ConcurrentHashMap<>();

    TopicMeters(PrometheusRegistry registry) {
        bytesIn = counter(registry, "kafka_server_brokertopicmetrics_bytesin",
                "Bytes appended to the topic's partitions led here (record batches as produced)");
        messagesIn = counter(registry, "kafka_server_brokertopicmetrics_messagesin",
                "Records appended to the topic's partitions led here");
        bytesOut = counter(registry, "kafka_server_brokertopicmetrics_bytesout",
                "Bytes of record batches sent to consumers (not to follower replicas)");
    }

    private static Counter counter(PrometheusRegistry registry, String name, String help) {
        return Counter.builder().name(name).help(help).labelNames(TOPIC).withoutExemplars().register(registry);
    }

    /** {@code bytes} of record batches holding {@code messages} records appended to a partition of {@code topic}. */
    public void in(String topic, long bytes, long messages) {
        Meters meters = meters(topic);
        meters.bytesIn.inc(bytes);
        meters.messagesIn.inc(messages);
    }

    /**
     * {@code bytes} of record batches read for a consumer from a partition of {@code topic}. No
     * message count: the batches go from the segment file to the socket unread (as in Kafka,
     * which has no MessagesOutPerSec either).
     */
    public void out(String topic, long bytes) {
        meters(topic).bytesOut.inc(bytes);
    }

    /** Drops a deleted topic's series. */
    public void remove(String topic) {
        if (byTopic.remove(topic) != null) {
            bytesIn.remove(topic);
            messagesIn.remove(topic);
            bytesOut.remove(topic);
        }
    }

    private Meters meters(String topic) {
        Meters meters = byTopic.get(topic);
        return meters != null ? meters : byTopic.computeIfAbsent(topic, this::create);
    }

    private Meters create(String topic) {
        return new Meters(bytesIn.labelValues(topic), messagesIn.labelValues(topic), bytesOut.labelValues(topic));
    }

    private record Meters(CounterDataPoint bytesIn, CounterDataPoint messagesIn, CounterDataPoint bytesOut) {
    }
}
