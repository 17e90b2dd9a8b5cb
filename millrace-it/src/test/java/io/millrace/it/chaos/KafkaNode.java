package io.millrace.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One Apache Kafka node ({@code kafka.Kafka}, KRaft, broker and controller) in its own process,
 * started from the jars of its Maven Central artifacts, with its output appended to a log file.
 * Test thread only; {@link #close()} kills it if it still runs.
 */
final class KafkaNode implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOG4J = """
            appender.out.type=Console
            appender.out.name=OUT
            appender.out.layout.type=PatternLayout
            appender.out.layout.pattern=[%d] %p %m (%c)%n
            rootLogger.level=INFO
            rootLogger.appenderRef.out.ref=OUT
            """;

    private final Path kafkaLib;
    private final Path dir;
    private final Path config;
    private final Path logFile;
    private final int port;
    private Process process;

    KafkaNode(Path kafkaLib, Path dir, String serverProperties, int port, Path logFile) {
        this.kafkaLib = kafkaLib;
        this.dir = dir;
        this.port = port;
        this.logFile = logFile;
        this.config = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(config, serverProperties);
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J);
            Files.writeString(logFile, "", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kafka-storage format with the given cluster id (static voters: no --standalone). */
    void format(String clusterId) throws IOException, InterruptedException {
        Process format = new ProcessBuilder(java(List.of("kafka.tools.StorageTool", "format", "--cluster-id", clusterId,
                "--config", config.toString(), "--ignore-formatted")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IOException("kafka-storage format failed; see " + logFile);
        }
    }

    void spawn() {
        try {
            Files.writeString(logFile, "==== start\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            process = new ProcessBuilder(java(List.of("kafka.Kafka", config.toString())))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka", e);
        }
    }

    /** Waits until the node accepts connections and answers describeCluster. */
    void awaitStarted() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new AssertionError("Kafka exited with " + process.exitValue() + "; see " + logFile);
                }
                if (portAccepts()) {
                    try {
                        if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                            return;
                        }
                    } catch (Exception e) {
                        // not ready yet
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("Kafka did not start within " + START_TIMEOUT + "; see " + logFile);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return isAlive() ? process.pid() : -1;
    }

    Path logFile() {
        return logFile;
    }

    void kill9() {
        process.destroyForcibly();
        awaitExit();
    }

    void terminate() {
        process.destroy();
        awaitExit();
    }

    @Override
    public void close() {
        if (isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean portAccepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> java(List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx512m");
        command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        command.add("-cp");
        command.add(kafkaLib.toAbsolutePath() + "/*");
        command.addAll(mainAndArgs);
        return command;
    }
}
