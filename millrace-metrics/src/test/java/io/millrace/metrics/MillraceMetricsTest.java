package io.millrace.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

/** The meters as the registry exposes them; each MillraceMetrics is a registry of its own. */
class MillraceMetricsTest {

    @Test
    void topicCountersAddWholeBatchesPerTopic() {
        MillraceMetrics metrics = new MillraceMetrics();
        metrics.topics().in("orders", 1_000, 10);
        metrics.topics().in("orders", 500, 5);
        metrics.topics().in("audit", 70, 1);
        metrics.topics().out("orders", 1_500);
        assertEquals(1_500, counter(metrics, "kafka_server_brokertopicmetrics_bytesin", "topic", "orders"));
        assertEquals(15, counter(metrics, "kafka_server_brokertopicmetrics_messagesin", "topic", "orders"));
        assertEquals(1, counter(metrics, "kafka_server_brokertopicmetrics_messagesin", "topic", "audit"));
        assertEquals(1_500, counter(metrics, "kafka_server_brokertopicmetrics_bytesout", "topic", "orders"));
        metrics.topics().remove("audit");
        assertTrue(point(metrics, "kafka_server_brokertopicmetrics_messagesin", "topic", "audit") == null);
    }

    @Test
    void requestsAreTimedAndTheirErrorsCountedPerApi() {
        MillraceMetrics metrics = new MillraceMetrics();
        RequestMeters requests = metrics.requests(2, id -> id == 0 ? "Produce" : id == 1 ? "Fetch" : null,
                code -> code == 6 ? "NOT_LEADER_OR_FOLLOWER" : "E" + code);
        requests.served(0, 10_000, 2_000_000);
        requests.served(0, 10_000, 3_000_000);
        requests.served(2, 1, 1); // no such API: ignored
        requests.error(0, (short) 6);
        requests.error(0, (short) 6);
        assertEquals(2, counter(metrics, "kafka_network_requestmetrics_requests", "request", "Produce"));
        assertTrue(point(metrics, "kafka_network_requestmetrics_requests", "request", "Fetch") == null,
                "an API nobody called has no series");
        HistogramSnapshot.HistogramDataPointSnapshot total = (HistogramSnapshot.HistogramDataPointSnapshot)
                point(metrics, "kafka_network_requestmetrics_totaltime_seconds", "request", "Produce");
        assertEquals(2, total.getCount());
        assertEquals(0.005, total.getSum(), 1e-9);
        assertEquals(2, counter(metrics, "kafka_network_requestmetrics_errors", "request", "Produce",
                "error", "NOT_LEADER_OR_FOLLOWER"));
    }

    @Test
    void gaugesAreComputedWhenScraped() {
        MillraceMetrics metrics = new MillraceMetrics();
        int[] calls = {0};
        metrics.gauge("test_gauge", "a gauge", samples -> {
            calls[0]++;
            samples.sample(4, "g1");
        }, "consumergroup");
        assertEquals(0, calls[0]);
        GaugeSnapshot.GaugeDataPointSnapshot point = (GaugeSnapshot.GaugeDataPointSnapshot)
                point(metrics, "test_gauge", "consumergroup", "g1");
        assertEquals(4, point.getValue());
        assertEquals(1, calls[0]);
        metrics.registerJvmMetrics();
        assertTrue(metrics.registry().scrape().stream()
                .anyMatch(s -> s.getMetadata().getName().equals("jvm_memory_used_bytes")), "JVM metrics");
    }

    private static double counter(MillraceMetrics metrics, String name, String... labels) {
        return ((CounterSnapshot.CounterDataPointSnapshot) point(metrics, name, labels)).getValue();
    }

    private static DataPointSnapshot point(MillraceMetrics metrics, String name, String... labels) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getName().equals(name)) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    if (point.getLabels().equals(Labels.of(labels))) {
                        return point;
                    }
                }
            }
        }
        return null;
    }
}
