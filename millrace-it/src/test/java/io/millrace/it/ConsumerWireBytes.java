package io.millrace.it;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * What a Java consumer sent to and received from one broker, from its per-node network metrics
 * ({@code consumer-node-metrics}: requests, request bytes, responses, response bytes, each
 * request and response counted with its size prefix and header).
 *
 * @param requests      requests sent
 * @param requestBytes  bytes sent
 * @param responses     responses received
 * @param responseBytes bytes received
 */
public record ConsumerWireBytes(double requests, double requestBytes, double responses, double responseBytes) {
    /** The consumer's totals so far towards node {@code nodeId}. */
    public static ConsumerWireBytes of(Consumer<?, ?> consumer, int nodeId) {
        Map<MetricName, ? extends Metric> metrics = consumer.metrics();
        return new ConsumerWireBytes(total(metrics, nodeId, "request-total"), total(metrics, nodeId, "outgoing-byte-total"),
                total(metrics, nodeId, "response-total"), total(metrics, nodeId, "incoming-byte-total"));
    }

    private static double total(Map<MetricName, ? extends Metric> metrics, int nodeId, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName metric = e.getKey();
            if (metric.group().equals("consumer-node-metrics") && metric.name().equals(name)
                    && ("node-" + nodeId).equals(metric.tags().get("node-id"))) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return 0;
    }

    /** What happened between {@code earlier} and this. */
    public ConsumerWireBytes since(ConsumerWireBytes earlier) {
        return new ConsumerWireBytes(requests - earlier.requests, requestBytes - earlier.requestBytes,
                responses - earlier.responses, responseBytes - earlier.responseBytes);
    }

    public double bytesPerRequest() {
        return requests == 0 ? 0 : requestBytes / requests;
    }

    public double bytesPerResponse() {
        return responses == 0 ? 0 : responseBytes / responses;
    }
}
