package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.cli.client.ClientCli;
import io.millrace.testkit.BootstrapServers;
import io.millrace.testkit.MillraceTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands of {@code millrace} (topic, produce, consume, group, cluster status)
 * against a real broker, as a user runs them: their output, their JSON for scripts, their exit
 * codes, and one-line errors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@MillraceTest
class ClientCommandsIT {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run run(String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server");
        all.add(bootstrap);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ClientCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void topicsAreCreatedListedDescribedAlteredAndDeleted(@BootstrapServers String bootstrap) {
        Run created = run(bootstrap, "topic", "create", "cli-orders", "--partitions", "2", "--config", "retention.ms=3600000");
        assertEquals(0, created.code(), created.err());
        Run list = run(bootstrap, "topic", "list");
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("cli-orders ") && l.contains(" 2 ")), list.out());
        Run described = run(bootstrap, "topic", "describe", "cli-orders", "--output", "json");
        assertEquals(0, described.code(), described.err());
        assertTrue(described.out().contains("\"partition\":1") && described.out().contains("\"retention.ms\":\"3600000\""),
                described.out());
        assertEquals(0, run(bootstrap, "topic", "alter", "cli-orders", "--partitions", "3", "--delete-config", "retention.ms").code());
        Run altered = run(bootstrap, "topic", "describe", "cli-orders", "-o", "json");
        assertTrue(altered.out().contains("\"partition\":2") && !altered.out().contains("retention.ms"), altered.out());
        assertEquals(0, run(bootstrap, "topic", "delete", "cli-orders").code());

        Run missing = run(bootstrap, "topic", "describe", "no-such-topic");
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().lines().count(), "one line: " + missing.err());
        assertTrue(missing.err().contains("no-such-topic") && missing.err().contains(bootstrap), missing.err());
        assertEquals(2, run(bootstrap, "topic", "create").code(), "a missing argument is a usage error");
    }

    @Test
    void linesAreProducedWithKeysAndHeadersAndConsumedWithAFormat(@BootstrapServers String bootstrap) throws Exception {
        assertEquals(0, run(bootstrap, "topic", "create", "cli-lines", "-p", "1").code());
        Path input = Files.writeString(dir.resolve("in.txt"), "a:one\nb:two\nc:three\n");
        Run produced = run(bootstrap, "produce", "cli-lines", "--file", input.toString(), "--key-separator", ":",
                "--header", "source=cli", "--compression", "lz4", "--no-progress");
        assertEquals(0, produced.code(), produced.err());
        Run consumed = run(bootstrap, "consume", "cli-lines", "--format", "%o %k=%s [%h]\\n", "--no-progress");
        assertEquals(0, consumed.code(), consumed.err());
        assertEquals(List.of("0 a=one [source=cli]", "1 b=two [source=cli]", "2 c=three [source=cli]"),
                consumed.out().lines().toList());
        Run fromOffset = run(bootstrap, "consume", "cli-lines", "--from", "offset:-1", "-n", "1");
        assertEquals(List.of("three"), fromOffset.out().lines().toList());
    }

    @Test
    void aGroupIsDescribedWithLagResetAndDeleted(@BootstrapServers String bootstrap) throws Exception {
        assertEquals(0, run(bootstrap, "topic", "create", "cli-grouped", "-p", "2").code());
        Path input = Files.writeString(dir.resolve("grouped.txt"), "1\n2\n3\n4\n5\n6\n");
        assertEquals(0, run(bootstrap, "produce", "cli-grouped", "-f", input.toString()).code());
        Run read = run(bootstrap, "consume", "cli-grouped", "--group", "cli-readers");
        assertEquals(0, read.code(), read.err());
        assertEquals(6, read.out().lines().count(), read.out());

        Run described = run(bootstrap, "group", "describe", "cli-readers", "-o", "json");
        assertEquals(0, described.code(), described.err());
        assertTrue(described.out().contains("\"lag\":0") && !described.out().matches("(?s).*\"lag\":[1-9].*"),
                described.out());
        assertTrue(run(bootstrap, "group", "list").out().contains("cli-readers"));

        Run dryRun = run(bootstrap, "group", "reset-offsets", "cli-readers", "--topic", "cli-grouped", "--to-earliest");
        assertTrue(dryRun.out().contains("false"), dryRun.out());
        assertEquals(0, run(bootstrap, "group", "reset-offsets", "cli-readers", "--topic", "cli-grouped",
                "--to-earliest", "--execute").code());
        Run lagging = run(bootstrap, "group", "describe", "cli-readers", "-o", "json");
        assertTrue(lagging.out().contains("\"committed\":0"), lagging.out());
        assertEquals(6, run(bootstrap, "consume", "cli-grouped", "--group", "cli-readers").out().lines().count(),
                "the group reads everything again");
        assertEquals(0, run(bootstrap, "group", "delete", "cli-readers").code());
    }

    @Test
    void clusterStatusReportsTheBrokerAndTheQuorum(@BootstrapServers String bootstrap) {
        Run status = run(bootstrap, "cluster", "status", "--output", "json");
        assertEquals(0, status.code(), status.err() + status.out());
        assertTrue(status.out().contains("\"cluster_id\":") && status.out().contains("\"brokers\":[\"1@127.0.0.1:")
                && status.out().contains("\"not_fully_replicated\":[]"), status.out());
        Run text = run(bootstrap, "cluster", "status");
        assertTrue(text.out().contains("quorum_leader"), text.out());
    }
}
