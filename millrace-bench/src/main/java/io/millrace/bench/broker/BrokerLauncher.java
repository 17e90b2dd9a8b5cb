package io.millrace.bench.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one kind of broker as an OS process on 127.0.0.1 with a fresh data directory. Both
 * kinds run on the JVM that runs the benchmark, with the same JVM options.
 */
public sealed interface BrokerLauncher permits KafkaLauncher, MillraceLauncher {

    /** "millrace" or "kafka". */
    String name();

    /**
     * Prepares a fresh data directory and configuration under {@code workDir} (not timed: for
     * Kafka this includes formatting its storage), then starts the broker. The process's clock
     * ({@link BrokerProcess#startNanos()}) starts at the {@code ProcessBuilder.start()} call.
     */
    default BrokerProcess start(Path workDir) throws IOException, InterruptedException {
        return start(workDir, null);
    }

    /**
     * As {@link #start(Path)}, with an SSL listener on {@code tls}'s port beside the PLAINTEXT one
     * when {@code tls} is not null.
     */
    BrokerProcess start(Path workDir, BenchTls tls) throws IOException, InterruptedException;

    /**
     * Starts node {@code nodeId} of {@code layout}'s cluster from {@code layout}'s
     * {@code server.properties}, with a fresh data directory under {@code workDir}. Every node of
     * one cluster gets the same {@code clusterId} (Kafka formats its storage with it; Millrace
     * derives its own from the voters, as the README's three-machine recipe does).
     */
    BrokerProcess startNode(Path workDir, ClusterLayout layout, int nodeId, String clusterId)
            throws IOException, InterruptedException;

    /** The java binary running this benchmark, used for every broker too. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * java, the shared JVM options (heap, GC with its pauses logged to {@code workDir/gc.log}
     * ({@link BrokerProcess#gcLog}), native access), then {@code rest}.
     */
    static List<String> javaCommand(List<String> heap, Path workDir, List<String> rest) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(heap);
        command.add("-XX:+UseG1GC");
        command.add("-Xlog:gc:file=" + BrokerProcess.gcLog(workDir) + ":uptime");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djava.awt.headless=true");
        command.addAll(rest);
        return command;
    }

    /** A port free on 127.0.0.1 right now (the broker binds it a moment later). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }
}
