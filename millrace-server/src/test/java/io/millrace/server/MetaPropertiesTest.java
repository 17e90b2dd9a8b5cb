package io.millrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaPropertiesTest {

    @TempDir
    Path root;

    @Test
    void formattedIdWinsOverTheDerivedOne() {
        List<Path> dirs = List.of(root.resolve("a"), root.resolve("b"));
        assertEquals(dirs.size(), MetaProperties.format(dirs, 1, "SUCsjmpvRLWyP5Ru4I2o9A", false).size());
        MetaProperties.Identity identity = MetaProperties.ensure(dirs, 1, null, "derivedXXXXXXXXXXXXXXX");
        assertEquals("SUCsjmpvRLWyP5Ru4I2o9A", identity.clusterId());
        assertEquals(MetaProperties.Source.META_PROPERTIES, identity.source());
    }

    @Test
    void aConfiguredIdThatConflictsWithMetaPropertiesStopsStartUp() {
        List<Path> dirs = List.of(root);
        MetaProperties.format(dirs, 1, "SUCsjmpvRLWyP5Ru4I2o9A", false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MetaProperties.ensure(dirs, 1, "AAAAAAAAAAAAAAAAAAAAAA", null));
        assertTrue(e.getMessage().contains("cluster.id=AAAAAAAAAAAAAAAAAAAAAA conflicts with cluster.id="
                + "SUCsjmpvRLWyP5Ru4I2o9A"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unformattedDirsTakeTheConfiguredThenTheDerivedId() {
        assertEquals(new MetaProperties.Identity("configured", MetaProperties.Source.CONFIGURED),
                MetaProperties.ensure(List.of(root.resolve("x")), 1, "configured", "derived"));
        assertEquals(new MetaProperties.Identity("derived", MetaProperties.Source.DERIVED),
                MetaProperties.ensure(List.of(root.resolve("y")), 1, null, "derived"));
        assertEquals(MetaProperties.Source.NEW, MetaProperties.ensure(List.of(root.resolve("z")), 1, null, null).source());
        Properties written = MetaProperties.read(root.resolve("y").resolve(MetaProperties.FILE));
        assertEquals("1", written.getProperty("version"));
        assertEquals("1", written.getProperty("node.id"));
        assertEquals("derived", written.getProperty("cluster.id"));
        assertNotNull(written.getProperty("directory.id"));
    }

    @Test
    void formatRefusesAFormattedDirUnlessIgnored() throws Exception {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        MetaProperties.format(List.of(a), 2, "SUCsjmpvRLWyP5Ru4I2o9A", false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MetaProperties.format(List.of(a, b), 2, "SUCsjmpvRLWyP5Ru4I2o9A", false));
        assertTrue(e.getMessage().contains("already formatted"), e.getMessage());
        assertFalse(Files.exists(b.resolve(MetaProperties.FILE)), "nothing is written when one dir is refused");
        assertEquals(List.of(b.toAbsolutePath().normalize()),
                MetaProperties.format(List.of(a, b), 2, "SUCsjmpvRLWyP5Ru4I2o9A", true));
    }

    @Test
    void aDirOfAnotherNodeIsRefused() {
        MetaProperties.format(List.of(root), 2, "SUCsjmpvRLWyP5Ru4I2o9A", false);
        assertThrows(IllegalStateException.class, () -> MetaProperties.ensure(List.of(root), 1, null, null));
    }
}
