package io.millrace.bench.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One broker running as a child OS process of the benchmark, with its output in a log file.
 * Started by a {@link BrokerLauncher}; {@link #close()} stops it with SIGTERM and waits, and
 * only if it hangs kills this one pid. Not thread-safe except {@link #close()}, which the
 * benchmark's shutdown hook may also call.
 */
public final class BrokerProcess implements AutoCloseable {
    private static final long STOP_WAIT_SECONDS = 60;

    private final String name;
    private final Process process;
    private final long startNanos;
    private final String bootstrap;
    private final Path logFile;
    private final Path gcLog;
    private final List<String> command;
    private final Path workDir;

    private BrokerProcess(String name, Process process, long startNanos, String bootstrap, Path logFile, Path gcLog,
                          List<String> command, Path workDir) {
        this.command = command;
        this.workDir = workDir;
        this.name = name;
        this.process = process;
        this.startNanos = startNanos;
        this.bootstrap = bootstrap;
        this.logFile = logFile;
        this.gcLog = gcLog;
    }

    /** Where a broker started in {@code workDir} logs its GC pauses ({@code -Xlog:gc}). */
    static Path gcLog(Path workDir) {
        return workDir.toAbsolutePath().resolve("gc.log");
    }

    /** This broker's GC log (see {@link io.millrace.bench.report.GcPauses}). */
    public Path gcLog() {
        return gcLog;
    }

    /** Starts {@code command} with its output appended to {@code logFile}; the clock starts here. */
    static BrokerProcess start(String name, List<String> command, Path workDir, String bootstrap, Path logFile)
            throws IOException {
        Files.createDirectories(workDir);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        long startNanos = System.nanoTime();
        Process process = builder.start();
        return new BrokerProcess(name, process, startNanos, bootstrap, logFile, gcLog(workDir), List.copyOf(command),
                workDir);
    }

    public String name() {
        return name;
    }

    /**
     * Stops this broker (SIGTERM, waiting) and starts the same command again on the same data
     * directory; the new process's clock starts at its start, as {@link #start}'s.
     */
    public BrokerProcess restart() throws IOException {
        close();
        return startAgain();
    }

    /** Starts this stopped broker's command again on the same data directory (see {@link #restart()}). */
    public BrokerProcess startAgain() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        return start(name, command, workDir, bootstrap, logFile);
    }

    public long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the process was started. */
    public long startNanos() {
        return startNanos;
    }

    /** {@code host:port} of the broker's PLAINTEXT listener. */
    public String bootstrap() {
        return bootstrap;
    }

    public Path logFile() {
        return logFile;
    }

    /** Throws, pointing at the log, when the process has already exited. */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + logFile);
        }
    }

    /**
     * Sends SIGTERM without waiting, so the nodes of a cluster stop together (a Kafka node whose
     * peers have all gone waits out its controlled shutdown); {@link #close()} then waits.
     */
    public void requestStop() {
        process.destroy();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("bench: " + name + " (pid " + pid() + ") ignored SIGTERM for "
                        + STOP_WAIT_SECONDS + " s; killing it");
                process.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
