package io.millrace.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.journal.LocalMetadataJournal;
import io.millrace.metadata.log.LocalMetadataLog;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap records of millrace storage format: written by the first active controller of an empty log only. */
class ControllerBootstrapTest {
    private static final ControllerSettings SETTINGS = new ControllerSettings(1, (short) 1, 9_000, false, false, 300_000);

    @TempDir
    Path dir;
    private MetadataLog log;
    private MetadataController controller;

    private MetadataController start(List<MetadataRecord> bootstrap) {
        stop();
        MetadataPublisher publisher = new MetadataPublisher();
        log = new LocalMetadataLog(new LocalMetadataJournal(dir), publisher);
        controller = new MetadataController(log, publisher, SETTINGS, (k, v) -> null, new ManualTime(), bootstrap);
        return controller;
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
            log.close();
            controller = null;
        }
    }

    private static ScramCredentialRecord credential(String user, int iterations) {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_256;
        byte[] salted = mechanism.saltedPassword(user + "-secret", new byte[] {1, 2, 3}, iterations);
        return new ScramCredentialRecord(user, mechanism, new byte[] {1, 2, 3},
                mechanism.storedKey(mechanism.clientKey(salted)), mechanism.serverKey(salted), iterations);
    }

    @Test
    void anEmptyLogStartsWithTheBootstrapRecordsBeforeAnyCommand() throws Exception {
        ScramCredentialRecord admin = credential("admin", 4096);
        MetadataController c = start(List.of(admin));
        c.submit(new RegisterBroker(1, Uuid.randomUuid(), List.of(), null)).get();
        assertEquals(admin, c.image().scramCredential("admin", ScramMechanism.SCRAM_SHA_256).orElseThrow());
    }

    @Test
    void aLogWithRecordsIsLeftAloneAndTheBootstrapIsWrittenOnce() throws Exception {
        MetadataController c = start(List.of(credential("admin", 4096)));
        c.submit(new RegisterBroker(1, Uuid.randomUuid(), List.of(), null)).get();

        c = start(List.of(credential("admin", 8192), credential("other", 4096)));
        c.submit(new RegisterBroker(2, Uuid.randomUuid(), List.of(), null)).get();
        assertEquals(4096, c.image().scramCredential("admin", ScramMechanism.SCRAM_SHA_256).orElseThrow().iterations());
        assertTrue(c.image().scramCredential("other", ScramMechanism.SCRAM_SHA_256).isEmpty());
    }
}
