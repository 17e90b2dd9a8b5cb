package io.millrace.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class of the test class path as its own JVM, its output in a log file, so a test
 * can kill it with SIGKILL ({@code destroyForcibly()}) or stop it with SIGTERM ({@code destroy()},
 * which runs its shutdown hooks). Used for the Kafka Streams instances and Kafka Connect workers
 * that a test kills; the caller owns the returned process and stops it by that handle only.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code mainClass} with {@code args}; its output goes to {@code log} (parents created). */
    static Process start(String mainClass, List<String> args, Path log) {
        return start(List.of(), mainClass, args, log);
    }

    /** As {@link #start(String, List, Path)}, with extra JVM options (system properties) first. */
    static Process start(List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // short-lived: start fast rather than peak fast
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log's lines, or none if it cannot be read yet. */
    static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }
}
