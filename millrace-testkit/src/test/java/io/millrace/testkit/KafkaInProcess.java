package io.millrace.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Apache Kafka's own broker in this JVM, for {@link StartupComparison}: one combined KRaft node
 * (broker and controller) started the way {@code kafka-storage.sh format} and
 * {@code kafka-server-start.sh} would, with {@code kafka.tools.StorageTool} and
 * {@code kafka.server.KafkaRaftServer}, reached by reflection so this module compiles without
 * Kafka's broker: only the {@code startup-comparison} profile puts {@code kafka_2.13} on the class
 * path. (Kafka's published in-process test kit, {@code kafka-test-common-runtime} 4.4.0, needs
 * test utility classes no published artifact carries, so it cannot run here.)
 */
final class KafkaInProcess {
    private KafkaInProcess() {
    }

    static boolean available() {
        try {
            Class.forName("kafka.server.KafkaRaftServer");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Formats a fresh data directory and starts one node; returns once its broker serves. */
    static StartupComparison.Started start() throws Exception {
        Path dir = Files.createTempDirectory("kafka-inprocess-");
        int port = freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.resolve("data").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0"); // the same test default as EmbeddedMillrace's
        Path file = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, null);
        }
        String clusterId = (String) Class.forName("org.apache.kafka.common.Uuid").getMethod("randomUuid")
                .invoke(null).toString();
        int formatted = (int) Class.forName("kafka.tools.StorageTool")
                .getMethod("execute", String[].class, PrintStream.class)
                .invoke(null, new String[] {"format", "-t", clusterId, "-c", file.toString()},
                        new PrintStream(OutputStream.nullOutputStream()));
        if (formatted != 0) {
            throw new IllegalStateException("kafka-storage format failed: " + formatted);
        }
        Object config = Class.forName("kafka.server.KafkaConfig").getMethod("fromProps", Properties.class)
                .invoke(null, props);
        Class<?> timeClass = Class.forName("org.apache.kafka.common.utils.Time");
        Object time = timeClass.getField("SYSTEM").get(null);
        Class<?> serverClass = Class.forName("kafka.server.KafkaRaftServer");
        Object server = serverClass.getConstructor(config.getClass(), timeClass).newInstance(config, time);
        serverClass.getMethod("startup").invoke(server);
        AutoCloseable stop = () -> {
            serverClass.getMethod("shutdown").invoke(server);
            serverClass.getMethod("awaitShutdown").invoke(server);
            deleteRecursively(dir);
        };
        return new StartupComparison.Started("127.0.0.1:" + port, stop);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
