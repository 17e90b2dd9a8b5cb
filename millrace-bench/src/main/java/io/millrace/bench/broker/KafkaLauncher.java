package io.millrace.bench.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * Starts Apache Kafka's broker ({@code kafka.Kafka}) from the jars the {@code bench} profile
 * copies to {@code millrace-bench/target/kafka-lib}: one KRaft node in combined mode
 * (broker and controller, a standalone dynamic quorum), storage formatted first, flush settings
 * at their defaults (no forced fsync), INFO logging to its log file as the distribution does.
 *
 * @param kafkaLib the directory of Kafka's jars
 * @param heap     JVM heap options, the same as Millrace's
 */
public record KafkaLauncher(Path kafkaLib, List<String> heap) implements BrokerLauncher {
    private static final long FORMAT_TIMEOUT_SECONDS = 120;
    private static final String LOG4J_PROPERTIES = """
            appender.stdout.type=Console
            appender.stdout.name=STDOUT
            appender.stdout.layout.type=PatternLayout
            appender.stdout.layout.pattern=[%d] %p %m (%c)%n
            rootLogger.level=INFO
            rootLogger.appenderRef.stdout.ref=STDOUT
            """;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public BrokerProcess start(Path workDir, BenchTls tls) throws IOException, InterruptedException {
        requireJars();
        int port = BrokerLauncher.freePort();
        int controllerPort = BrokerLauncher.freePort();
        Path dataDir = workDir.resolve("data");
        Files.createDirectories(dataDir);
        Path config = workDir.resolve("server.properties");
        Files.writeString(config, serverProperties(port, controllerPort, dataDir) + tlsProperties(tls, port, controllerPort));
        Path log4j = workDir.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J_PROPERTIES);
        Path logFile = workDir.resolve("broker.log");
        format(workDir, config, logFile, List.of("--cluster-id", Uuid.randomUuid().toString(), "--standalone"));
        List<String> command = BrokerLauncher.javaCommand(heap, workDir, List.of(
                "-Dlog4j2.configurationFile=" + log4j, "-cp", classPath(), "kafka.Kafka", config.toString()));
        return BrokerProcess.start(name(), command, workDir, "127.0.0.1:" + port, logFile);
    }

    /**
     * One combined node of a static three-voter quorum ({@code controller.quorum.voters}), its
     * storage formatted with the cluster's id first; the internal topics keep Kafka's defaults
     * (replication factor 3, min ISR 2).
     */
    @Override
    public BrokerProcess startNode(Path workDir, ClusterLayout layout, int nodeId, String clusterId)
            throws IOException, InterruptedException {
        requireJars();
        Path dataDir = workDir.resolve("data");
        Files.createDirectories(dataDir);
        Path config = workDir.resolve("server.properties");
        Files.writeString(config, layout.serverProperties(nodeId, dataDir));
        Path log4j = workDir.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J_PROPERTIES);
        Path logFile = workDir.resolve("broker.log");
        format(workDir, config, logFile, List.of("--cluster-id", clusterId));
        List<String> command = BrokerLauncher.javaCommand(heap, workDir, List.of(
                "-Dlog4j2.configurationFile=" + log4j, "-cp", classPath(), "kafka.Kafka", config.toString()));
        return BrokerProcess.start(name() + "-" + nodeId, command, workDir,
                "127.0.0.1:" + layout.clientPorts().get(nodeId - 1), logFile);
    }

    private void requireJars() throws IOException {
        if (!Files.isDirectory(kafkaLib)) {
            throw new IOException("No Kafka jars in " + kafkaLib + ": build with ./millrace bench (or mvn -Pbench package)");
        }
    }

    private void format(Path workDir, Path config, Path logFile, List<String> clusterArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BrokerLauncher.javaBinary(), "-cp", classPath(),
                "kafka.tools.StorageTool", "format", "--config", config.toString()));
        command.addAll(clusterArgs);
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        if (!process.waitFor(FORMAT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("kafka-storage format did not finish; see " + logFile);
        }
        if (process.exitValue() != 0) {
            throw new IOException("kafka-storage format failed with code " + process.exitValue() + "; see " + logFile);
        }
    }

    private String classPath() {
        return kafkaLib + "/*";
    }

    /** An SSL listener with the same keys and Kafka's default TLS settings, Millrace's too; the later keys win. */
    private static String tlsProperties(BenchTls tls, int port, int controllerPort) {
        if (tls == null) {
            return "";
        }
        StringBuilder lines = new StringBuilder();
        lines.append("listeners=PLAINTEXT://127.0.0.1:%1$d,SSL://%2$s,CONTROLLER://127.0.0.1:%3$d\n");
        lines.append("advertised.listeners=PLAINTEXT://127.0.0.1:%1$d,SSL://%2$s,CONTROLLER://127.0.0.1:%3$d\n");
        lines.append("listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL\n");
        tls.brokerSettings().forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        return lines.toString().formatted(port, tls.bootstrap(), controllerPort);
    }

    private static String serverProperties(int port, int controllerPort, Path dataDir) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                group.streams.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, dataDir);
    }
}
