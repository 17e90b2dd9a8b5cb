package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerArgsTest {

    @Test
    void noArgumentsMeansDefaults() throws UsageException {
        ServerArgs args = ServerArgs.parse(List.of());
        assertNull(args.config());
        assertEquals(Map.of(), args.overrides());
    }

    @Test
    void configAndRepeatedOverrides() throws UsageException {
        ServerArgs args = ServerArgs.parse(List.of("--config", "conf/server.properties",
                "--override", "num.partitions=3", "--override=log.dirs=/tmp/a,/tmp/b",
                "-o", "listeners=PLAINTEXT://:9093", "--override", "num.partitions=4", "--override", "empty="));
        assertEquals(Path.of("conf/server.properties"), args.config());
        assertEquals(List.of("num.partitions", "log.dirs", "listeners", "empty"), List.copyOf(args.overrides().keySet()));
        assertEquals("4", args.overrides().get("num.partitions"));
        assertEquals("/tmp/a,/tmp/b", args.overrides().get("log.dirs"));
        assertEquals("", args.overrides().get("empty"));
    }

    @Test
    void kafkaStylePositionalConfigFile() throws UsageException {
        assertEquals(Path.of("server.properties"), ServerArgs.parse(List.of("server.properties")).config());
        assertEquals(Path.of("x.properties"), ServerArgs.parse(List.of("--config=x.properties")).config());
        assertTrue(ServerArgs.parse(List.of("--help")).help());
    }

    @Test
    void malformedCommandLines() {
        for (List<String> bad : List.of(List.of("--override", "novalue"), List.of("--override", "=x"),
                List.of("--override"), List.of("--config"), List.of("--bogus"),
                List.of("--config", "a", "--config", "b"), List.of("a.properties", "b.properties"))) {
            assertThrows(UsageException.class, () -> ServerArgs.parse(bad), bad.toString());
        }
    }

    @Test
    void overridesWinOverTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "# comment\nnum.partitions=2\nlog.dirs = /tmp/x\n");
        Map<String, String> props = ServerProperties.load(file, Map.of("num.partitions", "5"));
        assertEquals(Map.of("num.partitions", "5", "log.dirs", "/tmp/x"), props);
    }
}
