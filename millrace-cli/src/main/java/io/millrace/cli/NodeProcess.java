package io.millrace.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of a local cluster: {@code millrace server --config <its server.properties>} in a
 * child JVM started with this JVM's java binary, JVM options and class path (so it runs exactly
 * as {@code ./millrace server} would). The node's stdout and stderr are appended to
 * {@code <node dir>/server.log} by the operating system (so a node never depends on the
 * launcher), and a {@link LogTail} copies each new line to {@code console} prefixed with
 * {@code [node-N] }.
 *
 * <p>Lifecycle: {@link #start} once; {@link #terminate} (SIGTERM, the node's controlled shutdown),
 * {@link #kill} (SIGKILL). Threads: the caller's, and one daemon tail thread per node copying its
 * output. Methods may be called from the shutdown hook as well as the main thread.
 */
final class NodeProcess {

    private final int nodeId;
    private final Process process;
    private final LogTail tail;

    private NodeProcess(int nodeId, Process process, LogTail tail) {
        this.nodeId = nodeId;
        this.process = process;
        this.tail = tail;
    }

    /** Starts node {@code nodeId} with {@code propertiesFile}; its output also goes to {@code logFile}. */
    static NodeProcess start(int nodeId, Path propertiesFile, Path logFile, PrintStream console) throws IOException {
        List<String> command = command(propertiesFile);
        Files.writeString(logFile, "==== " + Instant.now() + " starting node " + nodeId + ": "
                + String.join(" ", command) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        long from = Files.size(logFile);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new NodeProcess(nodeId, process, LogTail.start(logFile, from, console, "[node-" + nodeId + "] "));
    }

    int nodeId() {
        return nodeId;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only once the process has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM: the node moves its leaderships away and exits. Returns at once. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL. Returns at once. */
    void kill() {
        process.destroyForcibly();
    }

    /** Waits up to {@code timeout} for the exit; true if it exited. Then lets the output drain. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            tail.stop(1_000);
        }
        return exited;
    }

    /** The child's command line: this JVM's java, its options (no debugger agent), class path. */
    static List<String> command(Path propertiesFile) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger agent would try to bind the same port in every node.
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("server");
        command.add("--config");
        command.add(propertiesFile.toString());
        return command;
    }
}
