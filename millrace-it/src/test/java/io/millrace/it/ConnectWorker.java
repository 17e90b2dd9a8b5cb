package io.millrace.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka Connect distributed worker ({@code connect-runtime}'s {@code ConnectDistributed}) as its
 * own JVM, with its REST listener on a free port of 127.0.0.1 and its output in
 * {@code target/broker-logs/<name>.log}. {@link #stop()} sends SIGTERM (Connect's shutdown hook
 * stops tasks and commits their offsets), {@link #kill()} SIGKILL. Workers of one {@code group.id}
 * form one Connect cluster whose internal topics (config, offsets, status: compacted) live on the
 * broker. The REST calls go to this worker, which forwards them to the leader as Connect does.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class ConnectWorker implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private ConnectWorker(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Worker settings for the cluster {@code groupId} against {@code bootstrap}: string keys and
     * values, internal topics of one replica named after the group, offsets flushed every 500 ms,
     * a lost worker's tasks reassigned after 2 s, a 6 s session, plugins found by their service
     * manifests (no class-path scan).
     */
    static Map<String, String> settings(String bootstrap, String groupId) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", groupId);
        props.put("config.storage.topic", groupId + "-configs");
        props.put("offset.storage.topic", groupId + "-offsets");
        props.put("status.storage.topic", groupId + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "3");
        props.put("status.storage.partitions", "2");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("offset.flush.interval.ms", "500");
        props.put("scheduled.rebalance.max.delay.ms", "2000");
        props.put("session.timeout.ms", "6000");
        props.put("heartbeat.interval.ms", "1000");
        props.put("task.shutdown.graceful.timeout.ms", "5000");
        props.put("plugin.discovery", "service_load");
        props.put("metadata.max.age.ms", "1000");
        props.put("rest.advertised.host.name", "127.0.0.1");
        return props;
    }

    /** Starts a worker with {@code settings} (its listener added) and waits for its REST API. */
    static ConnectWorker start(String name, Map<String, String> settings, Path dir) {
        int port = FreePorts.next();
        Properties props = new Properties();
        props.putAll(settings);
        props.put("listeners", "http://127.0.0.1:" + port);
        Path file = dir.resolve(name + ".properties");
        Path log = Path.of("target", "broker-logs", ConnectWorker.class.getSimpleName() + "-" + name + ".log");
        try {
            Files.createDirectories(dir);
            try (var out = Files.newBufferedWriter(file)) {
                props.store(out, "Connect worker " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process = ChildJvm.start(List.of("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.connect=info"),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of(file.toString()), log);
        ConnectWorker worker = new ConnectWorker(process, "http://127.0.0.1:" + port, log);
        Await.until("Connect worker " + name + " answers on its REST port (log " + log + ")", TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("worker " + name + " exited: " + ChildJvm.lines(log));
            }
            return worker.call("GET", "/connectors", null).statusCode() == 200;
        });
        return worker;
    }

    /** Creates or updates a connector, retrying while the cluster is rebalancing (409) or has no leader yet. */
    void putConnector(String name, Map<String, String> config) {
        String body;
        try {
            body = JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("connector " + name + " accepted", TIMEOUT, () -> {
            HttpResponse<String> response = call("PUT", "/connectors/" + name + "/config", body);
            if (response.statusCode() / 100 == 4 && response.statusCode() != 409) {
                throw new AssertionError("connector " + name + " refused: " + response.body());
            }
            return response.statusCode() / 100 == 2;
        });
    }

    /** {@code GET /connectors/<name>/status}, or null while the connector is unknown. */
    JsonNode status(String name) {
        HttpResponse<String> response = call("GET", "/connectors/" + name + "/status", null);
        if (response.statusCode() != 200) {
            return null;
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the connector and {@code tasks} tasks run, each on a worker of {@code workers} (REST urls' host:port). */
    boolean running(String name, int tasks, List<ConnectWorker> workers) {
        JsonNode status = status(name);
        if (status == null || !status.path("connector").path("state").asText().equals("RUNNING")
                || status.path("tasks").size() != tasks) {
            return false;
        }
        for (JsonNode task : status.path("tasks")) {
            String on = task.path("worker_id").asText();
            if (!task.path("state").asText().equals("RUNNING")
                    || workers.stream().noneMatch(w -> w.workerId().equals(on))) {
                return false;
            }
        }
        return true;
    }

    /** The worker id Connect reports for this worker: its advertised host:port. */
    String workerId() {
        return url.substring("http://".length());
    }

    Path log() {
        return log;
    }

    /** SIGTERM and wait: Connect stops its tasks gracefully and commits their offsets. */
    void stop() {
        process.destroy();
        await();
    }

    /** SIGKILL: no offsets committed, no group left, transactions left open. */
    void kill() {
        process.destroyForcibly();
        await();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void await() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    private HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }
}
