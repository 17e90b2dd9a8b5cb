package io.millrace.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The HTTP listener serving {@code /metrics}: Prometheus' text format, or OpenMetrics when the
 * scraper's Accept header asks for it ({@code application/openmetrics-text}), as the Prometheus
 * client negotiates. Runs on the client's own small daemon thread pool; a scrape runs the
 * gauges' {@link GaugeSource}s there.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;
    private final String host;

    private MetricsEndpoint(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    static MetricsEndpoint start(PrometheusRegistry registry, InetSocketAddress address) throws IOException {
        HTTPServer server = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
                .registry(registry).buildAndStart();
        return new MetricsEndpoint(server, address.getHostString());
    }

    /** The bound port (the one picked when configured with port 0). */
    public int port() {
        return server.getPort();
    }

    /** The scrape URL, e.g. {@code http://127.0.0.1:9404/metrics}. */
    public String url() {
        return "http://" + host + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.close();
    }
}
