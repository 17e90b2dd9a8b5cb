package io.millrace.metadata.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapRecordsTest {
    @TempDir
    Path dir;

    private static ScramCredentialRecord credential(String user) {
        return new ScramCredentialRecord(user, ScramMechanism.SCRAM_SHA_512, new byte[] {7}, new byte[] {8, 9},
                new byte[] {10}, 4096);
    }

    @Test
    void writtenRecordsReadBackInOrder() {
        List<MetadataRecord> records = List.of(credential("a"), credential("b"));
        BootstrapRecords.write(dir, records);
        assertEquals(records, BootstrapRecords.read(dir));
        assertTrue(Files.notExists(dir.resolve(BootstrapRecords.FILE_NAME + ".tmp")));
    }

    @Test
    void noFileIsNoRecords() {
        assertEquals(List.of(), BootstrapRecords.read(dir));
    }

    @Test
    void aDamagedFileIsRefusedWithItsName() throws Exception {
        BootstrapRecords.write(dir, List.of(credential("a")));
        Path file = dir.resolve(BootstrapRecords.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[10] ^= 1;
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BootstrapRecords.read(dir));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        Files.write(file, new byte[] {1, 2});
        assertThrows(IllegalStateException.class, () -> BootstrapRecords.read(dir));
    }
}
