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

    @Test
    void roundTripsTheTransactionStateAndLoadsAVersion1Snapshot() throws Exception {
        ProducerEntry open = new ProducerEntry(9, (short) 1);
        open.addBatch((short) 1, new ProducerBatch(0, 2, 40, 42, 7));
        open.setOngoingTxnFirstOffset(40);
        open.setCoordinatorEpoch(3);
        Path file = SegmentFiles.snapshotFile(dir, 50);
        ProducerStateSnapshotFile.write(file, List.of(open));
        ProducerEntry read = ProducerStateSnapshotFile.read(file).orElseThrow().get(0);
        assertEquals(40, read.ongoingTxnFirstOffset());
        assertEquals(3, read.coordinatorEpoch());

        // Version 1, as written before transactions: producer 7, epoch 2, one batch.
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(10 + 4 + 11 + 32);
        v1.putInt(ProducerStateSnapshotFile.MAGIC).putShort((short) 1).putInt(0).putInt(1)
                .putLong(7).putShort((short) 2).put((byte) 1)
                .putInt(0).putInt(4).putLong(10).putLong(14).putLong(99);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v1.array(), 10, v1.capacity() - 10);
        v1.putInt(6, (int) crc.getValue());
        Path old = SegmentFiles.snapshotFile(dir, 15);
        Files.write(old, v1.array());
        ProducerEntry legacy = ProducerStateSnapshotFile.read(old).orElseThrow().get(0);
        assertEquals(7, legacy.producerId());
        assertEquals(2, legacy.epoch());
        assertEquals(List.of(new ProducerBatch(0, 4, 10, 14, 99)), legacy.batches());
        assertEquals(ProducerEntry.NO_TRANSACTION, legacy.ongoingTxnFirstOffset());
    }
}
