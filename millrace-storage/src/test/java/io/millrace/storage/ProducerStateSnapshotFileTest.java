package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateSnapshotFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryProducerAndBatch() throws Exception {
        ProducerEntry a = new ProducerEntry(7, (short) 2);
        for (int i = 0; i < 6; i++) {
            a.addBatch((short) 2, new ProducerBatch(i * 10, i * 10 + 9, 100 + i * 10, 109 + i * 10, 5_000 + i));
        }
        ProducerEntry b = new ProducerEntry(8, (short) 0);
        b.addBatch((short) 0, new ProducerBatch(0, 0, 3, 3, 42));
        Path file = SegmentFiles.snapshotFile(dir, 123);
        ProducerStateSnapshotFile.write(file, List.of(a, b));

        List<ProducerEntry> read = ProducerStateSnapshotFile.read(file).orElseThrow();
        assertEquals(2, read.size());
        assertEquals(7, read.get(0).producerId());
        assertEquals(2, read.get(0).epoch());
        assertEquals(a.batches(), read.get(0).batches());
        assertEquals(5, read.get(0).batches().size());
        assertEquals(b.batches(), read.get(1).batches());
        assertEquals(List.of(123L), List.copyOf(ProducerStateSnapshotFile.list(dir)));
    }

    @Test
    void aDamagedSnapshotReadsAsAbsent() throws Exception {
        ProducerEntry a = new ProducerEntry(7, (short) 2);
        a.addBatch((short) 2, new ProducerBatch(0, 1, 0, 1, 1));
        Path file = dir.resolve("x.snapshot");
        ProducerStateSnapshotFile.write(file, List.of(a));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        assertTrue(ProducerStateSnapshotFile.read(file).isEmpty());
        Files.write(file, new byte[] {1, 2, 3});
        assertTrue(ProducerStateSnapshotFile.read(file).isEmpty());
    }
}
