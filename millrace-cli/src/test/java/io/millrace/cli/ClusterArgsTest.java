package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millrace cluster} arguments, and the cluster.id kept across runs. */
class ClusterArgsTest {

    @Test
    void defaultsAreThreeNodesInData() throws Exception {
        ClusterArgs args = ClusterArgs.parse(List.of());
        assertEquals(3, args.nodes());
        assertEquals(Path.of("data"), args.dataDir());
        assertEquals(Map.of(), args.overrides());
    }

    @Test
    void optionsInBothForms() throws Exception {
        ClusterArgs args = ClusterArgs.parse(List.of("--nodes", "5", "--data-dir=/x", "--override", "a=b", "-o", "c=d=e"));
        assertEquals(5, args.nodes());
        assertEquals(Path.of("/x"), args.dataDir());
        assertEquals(Map.of("a", "b", "c", "d=e"), args.overrides());
        assertEquals(1, ClusterArgs.parse(List.of("--nodes=1")).nodes());
        assertEquals(9, ClusterArgs.parse(List.of("-n", "9")).nodes());
        assertTrue(ClusterArgs.parse(List.of("--help")).help());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        for (List<String> bad : List.of(List.of("--nodes", "0"), List.of("--nodes", "10"), List.of("--nodes", "x"),
                List.of("--nodes"), List.of("--override", "novalue"), List.of("--bogus"), List.of("extra"))) {
            assertThrows(UsageException.class, () -> ClusterArgs.parse(bad), bad.toString());
        }
    }

    @Test
    void mainReportsABadNodeCountAsUsage() {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ServerCommand server = new ServerCommand(config -> {
            throw new AssertionError("no broker");
        }, hook -> { });
        assertEquals(Main.USAGE, Main.run(new String[] {"cluster", "--nodes", "12"}, out, err, server));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).startsWith("millrace cluster: --nodes must be from 1 to 9"));
    }

    @Test
    void aBadOverrideFailsBeforeAnyNodeStarts(@TempDir Path dir) {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ClusterCommand cluster = new ClusterCommand(hook -> {
            throw new AssertionError("nothing to stop: no node may start");
        });
        ClusterArgs args = new ClusterArgs(3, dir, Map.of("num.partitions", "abc"), false);
        assertEquals(1, cluster.run(args, out, err));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("num.partitions"));
        assertTrue(Files.notExists(dir.resolve("node-1").resolve("server.properties")));
    }

    @Test
    void theClusterIdIsCreatedOnceAndKept(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("data");
        String first = ClusterId.loadOrCreate(root);
        assertEquals(22, first.length());
        assertEquals(first, ClusterId.loadOrCreate(root));
        assertEquals(first + "\n", Files.readString(root.resolve("cluster.id")));
        Files.writeString(root.resolve("cluster.id"), "  \n");
        assertThrows(java.io.IOException.class, () -> ClusterId.loadOrCreate(root));
    }
}
