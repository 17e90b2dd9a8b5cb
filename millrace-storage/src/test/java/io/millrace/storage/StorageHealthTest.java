package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StorageHealthTest {
    @Test
    void failingFromTheFirstFailedWriteUntilNoneFailsForTheRecoveryTime() {
        ManualTime time = new ManualTime(1_000);
        StorageHealth health = new StorageHealth(time);
        StorageFailures failures = new StorageFailures(new TopicPartition("t", 0), "/data", health);
        assertFalse(health.failing(), "healthy until a write fails");

        failures.failed("append to", new IOException("No space left on device"));
        assertTrue(health.failing());
        time.advance(StorageHealth.RECOVERY_MS - 1);
        failures.failed("append to", new IOException("No space left on device"));
        time.advance(StorageHealth.RECOVERY_MS - 1);
        assertTrue(health.failing(), "every failure, not only the first, keeps it failing");
        time.advance(1);
        assertFalse(health.failing(), "writable again after the recovery time without a failure");
    }
}
