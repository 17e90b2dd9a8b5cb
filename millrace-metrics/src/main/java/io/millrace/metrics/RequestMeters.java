package io.millrace.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Per-API request metrics, as Kafka's {@code kafka.network:type=RequestMetrics}: requests served,
 * total time and queue time as histograms (seconds), and errors by error code. The data points
 * of an API are made the first time it is called (so an API nobody calls adds no series) and
 * kept in an array indexed by API key, so recording a request is an array read and a few adds; an
 * error's counter is made the first time that (API, error) pair is seen.
 *
 * <p>Thread-safe.
 */
public final class RequestMeters {
    /** Error codes run from -1 (UNKNOWN_SERVER_ERROR) up; index = code + 1. */
    private static final int ERROR_CODES = 256;

    private final Counter requests;
    private final Histogram totalTime;
    private final Histogram queueTime;
    private final AtomicReferenceArray<ApiMeters> apis;
    private final Counter errors;
    private final AtomicReferenceArray<CounterDataPoint> errorPoints;
    private final String[] apiNames;
    private final IntFunction<String> errorName;

    RequestMeters(PrometheusRegistry registry, int maxApiKey, IntFunction<String> apiName, IntFunction<String> errorName) {
        requests = Counter.builder().name("kafka_network_requestmetrics_requests")
                .help("Requests served, by API").labelNames("request").withoutExemplars().register(registry);
        totalTime = Histogram.builder().name("kafka_network_requestmetrics_totaltime_seconds")
                .help("Time from a request's last byte read to its response built, by API").labelNames("request")
                .classicOnly().classicUpperBounds(MillraceMetrics.LATENCY_BUCKETS).withoutExemplars().register(registry);
        queueTime = Histogram.builder().name("kafka_network_requestmetrics_requestqueuetime_seconds")
                .help("Time from a request's last byte read until its handler starts (parsing, authorization), by API")
                .labelNames("request").classicOnly().classicUpperBounds(MillraceMetrics.LATENCY_BUCKETS)
                .withoutExemplars().register(registry);
        errors = Counter.builder().name("kafka_network_requestmetrics_errors")
                .help("Responses carrying an error code, by API and error (top-level, or per partition for Produce "
                        + "and Fetch)").labelNames("request", "error").withoutExemplars().register(registry);
        this.errorName = errorName;
        apiNames = new String[maxApiKey + 1];
        apis = new AtomicReferenceArray<>(maxApiKey + 1);
        errorPoints = new AtomicReferenceArray<>((maxApiKey + 1) * ERROR_CODES);
        for (int key = 0; key <= maxApiKey; key++) {
            apiNames[key] = apiName.apply(key);
        }
    }

    /** One request of API {@code apiKey} served: its queue time and total time, in nanoseconds. */
    public void served(int apiKey, long queueNanos, long totalNanos) {
        if (apiKey < 0 || apiKey >= apiNames.length || apiNames[apiKey] == null) {
            return;
        }
        ApiMeters meters = apis.get(apiKey);
        if (meters == null) {
            String name = apiNames[apiKey];
            apis.compareAndSet(apiKey, null, new ApiMeters(requests.labelValues(name), queueTime.labelValues(name),
                    totalTime.labelValues(name)));
            meters = apis.get(apiKey);
        }
        meters.requests.inc();
        meters.queueTime.observe(queueNanos / 1e9);
        meters.totalTime.observe(totalNanos / 1e9);
    }

    private record ApiMeters(CounterDataPoint requests, DistributionDataPoint queueTime,
                             DistributionDataPoint totalTime) {
    }

    /** An error code in a response of API {@code apiKey}. */
    public void error(int apiKey, short errorCode) {
        int code = errorCode + 1;
        if (apiKey < 0 || apiKey >= apiNames.length || apiNames[apiKey] == null || code < 0 || code >= ERROR_CODES) {
            return;
        }
        int index = apiKey * ERROR_CODES + code;
        CounterDataPoint point = errorPoints.get(index);
        if (point == null) {
            point = errors.labelValues(apiNames[apiKey], errorName.apply(errorCode));
            errorPoints.compareAndSet(index, null, point);
        }
        point.inc();
    }
}
