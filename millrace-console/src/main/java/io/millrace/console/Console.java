package io.millrace.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: an HTTP server (the JDK's) with pages about a Kafka-compatible cluster, fed by
 * one Admin client and, for browsing messages, short-lived consumers without a group. It knows
 * the cluster only through the Kafka clients, so it works against Apache Kafka too.
 *
 * <p>Lifecycle: {@link #start} binds and begins sampling; {@link #close} stops both. Threads: the
 * {@code console-sampler} thread and the {@code console-http-N} threads answering requests.
 */
public final class Console implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private final Admin admin;
    private final Sampler sampler;
    private final HttpFront http;

    private Console(Admin admin, Sampler sampler, HttpFront http) {
        this.admin = admin;
        this.sampler = sampler;
        this.http = http;
    }

    /** Binds the HTTP listener and starts sampling; UncheckedIOException when the address cannot be bound. */
    public static Console start(ConsoleOptions options) {
        HttpFront http;
        try {
            http = HttpFront.bind(options.listen());
        } catch (IOException e) {
            throw new UncheckedIOException("console cannot listen on " + options.listen().getHostString() + ":"
                    + options.listen().getPort() + ": " + e.getMessage(), e);
        }
        Map<String, Object> adminProps = new HashMap<>(options.clientProperties());
        adminProps.putIfAbsent("client.id", "millrace-console-" + http.address().getPort());
        adminProps.putIfAbsent("default.api.timeout.ms", (int) AdminCalls.TIMEOUT_MS);
        adminProps.putIfAbsent("request.timeout.ms", (int) AdminCalls.TIMEOUT_MS);
        History history = new History(options.ringCapacity());
        Admin admin;
        try {
            admin = Admin.create(adminProps);
        } catch (RuntimeException e) {
            http.close(); // bad client properties: nothing stays bound
            throw e;
        }
        Sampler sampler = new Sampler(admin, history, System::currentTimeMillis);
        Pages pages = new Pages(admin, history, options, new MessageBrowser(options.clientProperties()));
        http.serve(pages);
        sampler.start(options.firstSampleDelay().toMillis(), options.sampleInterval().toMillis());
        Console console = new Console(admin, sampler, http);
        LOG.info("Console on http://{}/ (bootstrap.servers={}, {})", console.hostPort(),
                options.clientProperties().get("bootstrap.servers"), options.actionsEnabled() ? "actions enabled" : "read-only");
        return console;
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return http.address();
    }

    /** host:port to put in a URL. */
    public String hostPort() {
        InetSocketAddress a = address();
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public void close() {
        http.close();
        sampler.close();
        // a pass still waiting on an unreachable cluster is abandoned rather than waited for
        admin.close(java.time.Duration.ofSeconds(1));
    }
}
