package io.millrace.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code millrace storage ...} (as {@code kafka-storage.sh}) for a node in its own process,
 * with the node's properties written to a server.properties file, as an operator would.
 */
final class StorageTool {
    /** What the tool printed and its exit code. */
    record Result(int exitCode, String output) {
    }

    private StorageTool() {
    }

    /** {@code millrace storage <args> -c <node's server.properties>}. */
    static Result run(BrokerProcess node, Path dir, String... args) {
        try {
            Files.createDirectories(dir);
            Path config = Files.createTempFile(dir, "storage-", ".properties");
            StringBuilder text = new StringBuilder();
            node.properties().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(config, text);
            List<String> command = new ArrayList<>(List.of(BrokerProcess.javaBinary(), "-cp", BrokerProcess.classPath(),
                    "io.millrace.cli.Main", "storage"));
            command.addAll(List.of(args));
            command.addAll(List.of("-c", config.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("millrace storage did not exit: " + output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }
}
