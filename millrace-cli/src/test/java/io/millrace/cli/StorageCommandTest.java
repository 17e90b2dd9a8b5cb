package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageCommandTest {
    private static final String ID = "SUCsjmpvRLWyP5Ru4I2o9A";

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final ServerCommand noServer = new ServerCommand(config -> {
        throw new AssertionError("no broker");
    }, hook -> { });

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.run(args, out, err, noServer);
    }

    private Path config(String extra) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "node.id=2\nprocess.roles=broker,controller\n"
                + "log.dirs=" + dir.resolve("d1") + "," + dir.resolve("d2") + "\n"
                + "metadata.log.dir=" + dir.resolve("meta") + "\n" + extra);
        return file;
    }

    private static Properties read(Path file) throws Exception {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        }
        return props;
    }

    @Test
    void randomUuidPrintsAKafkaUuid() {
        assertEquals(0, run("storage", "random-uuid"));
        String id = outBytes.toString(StandardCharsets.UTF_8).trim();
        assertEquals(id, Uuid.fromString(id).toString());
    }

    @Test
    void formatWritesMetaPropertiesIntoEveryDirAsKafkaDoes() throws Exception {
        assertEquals(0, run("storage", "format", "-t", ID, "-c", config("").toString()), errBytes.toString());
        for (String name : new String[] {"d1", "d2", "meta"}) {
            Properties props = read(dir.resolve(name).resolve("meta.properties"));
            assertEquals("1", props.getProperty("version"));
            assertEquals("2", props.getProperty("node.id"));
            assertEquals(ID, props.getProperty("cluster.id"));
            assertNotNull(Uuid.fromString(props.getProperty("directory.id")));
        }
        outBytes.reset();
        assertEquals(0, run("storage", "info", "-c", config("").toString()));
        String info = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(3, info.lines().filter(l -> l.contains("cluster.id=" + ID)).count(), info);
    }

    @Test
    void formatRefusesAFormattedDirUnlessToldToIgnoreIt() throws Exception {
        Path file = config("");
        assertEquals(0, run("storage", "format", "-t", ID, "-c", file.toString()));
        assertEquals(1, run("storage", "format", "--cluster-id", ID, "--config", file.toString()));
        String text = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("already formatted") && text.contains("--ignore-formatted"), text);
        assertEquals(0, run("storage", "format", "-t", ID, "-c", file.toString(), "--ignore-formatted"));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("already formatted"));
    }

    @Test
    void badIdsAndDynamicQuorumFlagsAreRefusedInOneLine() throws Exception {
        Path file = config("controller.quorum.voters=2@127.0.0.1:19002\n");
        assertEquals(1, run("storage", "format", "-t", "not-a-uuid", "-c", file.toString()));
        assertEquals(1, run("storage", "format", "-t", ID, "-c", file.toString(), "--standalone"));
        assertEquals(1, run("storage", "format", "-t", ID, "-c", file.toString(), "--initial-controllers",
                "2@127.0.0.1:19002:abc"));
        String text = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(3, text.lines().count(), text);
        assertTrue(text.contains("not a valid UUID") && text.contains("drop --standalone")
                && text.contains("KIP-853"), text);
        assertTrue(!Files.exists(dir.resolve("d1").resolve("meta.properties")));
        assertEquals(2, run("storage", "format", "-c", file.toString()));
    }

    @Test
    void addScramIsRefusedNamingWhatToDoInstead() throws Exception {
        assertEquals(2, run("storage", "format", "-t", ID, "-c", config("").toString(), "--add-scram",
                "SCRAM-SHA-256=[name=alice,password=alice-secret]"));
        String text = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("kafka-configs.sh") && text.contains("alterUserScramCredentials"), text);
        assertTrue(!Files.exists(dir.resolve("d1").resolve("meta.properties")));
    }

    @Test
    void formatWithAConflictingClusterIdLineIsRefused() throws Exception {
        Path file = config("cluster.id=AAAAAAAAAAAAAAAAAAAAAA\n");
        assertEquals(1, run("storage", "format", "-t", ID, "-c", file.toString()));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("differs from cluster.id"));
    }
}
