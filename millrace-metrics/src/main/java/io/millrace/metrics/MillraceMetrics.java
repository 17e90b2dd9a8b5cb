package io.millrace.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.IntFunction;

/**
 * One node's metrics: a registry of its own (several nodes may share a JVM in tests), the JVM's
 * metrics (heap, GC, threads; registered when served, so an embedded node without a listener
 * does not pay for them) and the meters and scrape-time gauges the broker creates here. Only
 * this module sees the Prometheus client; the broker records through {@link TopicMeters},
 * {@link RequestMeters}, {@link EventCounter} and {@link LatencyRecorder}, and describes gauges
 * with {@link GaugeSource}, which run only when {@code /metrics} is scraped.
 *
 * <p>Thread-safe: meters are recorded from any thread; create them at start-up.
 */
public final class MillraceMetrics {
    /** Request and flush latencies, in seconds: 0.5 ms to 10 s, as Kafka's dashboards plot them. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final TopicMeters topics;
    private boolean jvmRegistered; // guarded by this

    public MillraceMetrics() {
        topics = new TopicMeters(registry);
    }

    /** Bytes and messages in and out per topic. */
    public TopicMeters topics() {
        return topics;
    }

    /**
     * Per-API request counts, latencies and errors.
     *
     * @param maxApiKey  the highest API key id
     * @param apiName    the name of an API key id (Kafka's, e.g. "Produce"), null when there is none
     * @param errorName  the name of an error code (Kafka's, e.g. "NOT_LEADER_OR_FOLLOWER")
     */
    public RequestMeters requests(int maxApiKey, IntFunction<String> apiName, IntFunction<String> errorName) {
        return new RequestMeters(registry, maxApiKey, apiName, errorName);
    }

    /** A counter of events (name without the {@code _total} suffix, which the exposition adds). */
    public EventCounter counter(String name, String help) {
        Counter counter = Counter.builder().name(name).help(help).withoutExemplars().register(registry);
        return counter::inc;
    }

    /** A latency histogram in seconds (name ending {@code _seconds}). */
    public LatencyRecorder latency(String name, String help) {
        Histogram histogram = Histogram.builder().name(name).help(help).classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
        return nanos -> histogram.observe(nanos / 1e9);
    }

    /** A gauge whose samples {@code source} gives each time {@code /metrics} is scraped. */
    public void gauge(String name, String help, GaugeSource source, String... labelNames) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames)
                .callback(callback -> source.collect(callback::call)).register(registry);
    }

    /** A counter whose value is kept elsewhere (a running total) and read when scraped. */
    public void counterOf(String name, String help, GaugeSource source, String... labelNames) {
        CounterWithCallback.builder().name(name).help(help).labelNames(labelNames)
                .callback(callback -> source.collect(callback::call)).register(registry);
    }

    /**
     * Serves {@code /metrics} on {@code address} (port 0 picks a free one).
     *
     * @throws IOException when the address cannot be bound
     */
    public MetricsEndpoint serve(InetSocketAddress address) throws IOException {
        registerJvmMetrics();
        return MetricsEndpoint.start(registry, address);
    }

    /** The JVM's metrics (heap, GC, threads, ...), registered only once something serves them. */
    synchronized void registerJvmMetrics() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }

    PrometheusRegistry registry() {
        return registry;
    }
}
