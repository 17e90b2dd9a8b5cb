package io.millrace.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A group consumer in a child JVM, so a test can kill it outright (SIGKILL): no leave, no commit,
 * its heartbeats just stop, as when a machine dies. The child prints {@code ASSIGNED n} when its
 * assignment changes and at least every second; its log goes to a file.
 *
 * <p>Not thread-safe: one test drives it. {@link #close()} kills it if still alive.
 */
final class KilledConsumer implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private final Path log;

    private KilledConsumer(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static KilledConsumer start(String bootstrap, String groupId, String protocol, String topic, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(KilledConsumer.class.getName());
        command.add(bootstrap);
        command.add(groupId);
        command.add(protocol);
        command.add(topic);
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            return new KilledConsumer(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks until the child reports owning at least one partition. */
    void awaitPartitions(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("ASSIGNED ") && Integer.parseInt(line.substring(9)) > 0) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("The child consumer got no partitions within " + timeout + ":\n" + logTail());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("The child consumer exited before it got partitions:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The child: consume until killed. */
    public static void main(String[] args) {
        String bootstrap = args[0];
        String groupId = args[1];
        String protocol = args[2];
        String topic = args[3];
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                TallyingConsumer.groupProps("killed", groupId, protocol))) {
            consumer.subscribe(List.of(topic));
            int reported = -1;
            long lastTick = 0;
            while (true) {
                consumer.poll(Duration.ofMillis(100));
                int owned = consumer.assignment().size();
                long now = System.nanoTime();
                if (owned != reported || now - lastTick > 1_000_000_000L) {
                    // a line at least every second, so the test's blocking read checks its deadline
                    System.out.println("ASSIGNED " + owned);
                    System.out.flush();
                    reported = owned;
                    lastTick = now;
                }
            }
        }
    }
}
