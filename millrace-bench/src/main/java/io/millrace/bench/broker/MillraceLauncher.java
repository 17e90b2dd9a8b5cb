package io.millrace.bench.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts the built Millrace launcher ({@code millrace-cli/target}) as
 * {@code io.millrace.cli.Main server}, with its listener and log dir given as overrides and
 * every other setting at its default (no forced fsync, as in Kafka).
 *
 * @param cliJars a directory with the launcher jar ({@code millrace-cli-*.jar}) and its
 *                {@code lib/}: {@code millrace-cli/target} or the launcher script's copy of it
 * @param heap    JVM heap options, the same as Kafka's
 */
public record MillraceLauncher(Path cliJars, List<String> heap) implements BrokerLauncher {

    @Override
    public String name() {
        return "millrace";
    }

    @Override
    public BrokerProcess start(Path workDir, BenchTls tls) throws IOException {
        int port = BrokerLauncher.freePort();
        Path dataDir = workDir.resolve("data");
        Files.createDirectories(dataDir);
        String classPath = launcherJar() + java.io.File.pathSeparator + cliJars.resolve("lib") + "/*";
        List<String> args = new ArrayList<>(List.of("-cp", classPath, "io.millrace.cli.Main", "server",
                "--override", "log.dirs=" + dataDir,
                // as Kafka's (KafkaLauncher): a new classic group rebalances at once, not after 3 s
                "--override", "group.initial.rebalance.delay.ms=0",
                // /metrics stays on, as in ./millrace server, on a free port rather than the fixed 9404
                "--override", "millrace.metrics.listener=127.0.0.1:0"));
        if (tls == null) {
            args.addAll(List.of("--override", "listeners=PLAINTEXT://127.0.0.1:" + port));
        } else {
            args.addAll(List.of("--override", "listeners=PLAINTEXT://127.0.0.1:" + port + ",SSL://" + tls.bootstrap()));
            tls.brokerSettings().forEach((key, value) -> args.addAll(List.of("--override", key + "=" + value)));
        }
        List<String> command = BrokerLauncher.javaCommand(heap, workDir, args);
        return BrokerProcess.start(name(), command, workDir, "127.0.0.1:" + port, workDir.resolve("broker.log"));
    }

    @Override
    public BrokerProcess startNode(Path workDir, ClusterLayout layout, int nodeId, String clusterId)
            throws IOException {
        Path dataDir = workDir.resolve("data");
        Files.createDirectories(dataDir);
        Path config = workDir.resolve("server.properties");
        Files.writeString(config, layout.serverProperties(nodeId, dataDir));
        String classPath = launcherJar() + java.io.File.pathSeparator + cliJars.resolve("lib") + "/*";
        List<String> command = BrokerLauncher.javaCommand(heap, workDir, List.of("-cp", classPath, "io.millrace.cli.Main",
                "server", "--config", config.toString()));
        return BrokerProcess.start(name() + "-" + nodeId, command, workDir,
                "127.0.0.1:" + layout.clientPorts().get(nodeId - 1), workDir.resolve("broker.log"));
    }

    private Path launcherJar() throws IOException {
        try (Stream<Path> files = Files.list(cliJars)) {
            return files.filter(p -> {
                String file = p.getFileName().toString();
                return file.startsWith("millrace-cli-") && file.endsWith(".jar") && !file.endsWith("-sources.jar")
                        && !file.endsWith("-tests.jar") && !file.endsWith("-javadoc.jar");
            }).findFirst().orElseThrow(() -> new IOException("No millrace-cli jar in " + cliJars
                    + ": build with ./millrace bench (or mvn -Pbench package)"));
        }
    }
}
