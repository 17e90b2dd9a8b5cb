package io.millrace.server.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.server.share.SharePartition.AcquiredRange;
import io.millrace.server.share.SharePartition.Batch;
import io.millrace.server.share.SharePartition.State;
import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateBatch;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The share-partition state machine on its own: acquisition, acknowledgement, locks, delivery counts. */
class SharePartitionTest {
    private static final long LOCK_MS = 1_000;
    private static final List<Batch> TEN = List.of(new Batch(0, 4, true), new Batch(5, 9, true));

    private final SharePartition partition = new SharePartition(0, 0, 3, 100);

    private static List<Byte> types(byte type) {
        return List.of(type);
    }

    @Test
    void recordsGoToOneMemberAtATimeAndAcceptedOnesAreDone() {
        SharePartition.Acquisition first = partition.acquire("m1", TEN, 500, false, 0, LOCK_MS);
        assertEquals(List.of(new AcquiredRange(0, 9, (short) 1)), first.ranges());
        assertEquals(2, first.batchesUsed());
        assertTrue(partition.acquire("m2", TEN, 500, false, 0, LOCK_MS).ranges().isEmpty());

        assertEquals(Errors.NONE, partition.acknowledge("m1", 0, 4, types(SharePartition.ACCEPT), 10, LOCK_MS));
        assertEquals(5, partition.startOffset());
        assertEquals(Errors.INVALID_RECORD_STATE,
                partition.acknowledge("m1", 0, 0, types(SharePartition.ACCEPT), 10, LOCK_MS), "accepted already");
        assertEquals(Errors.INVALID_RECORD_STATE,
                partition.acknowledge("m2", 5, 5, types(SharePartition.ACCEPT), 10, LOCK_MS), "another member's");
        assertEquals(Errors.INVALID_RECORD_STATE,
                partition.acknowledge("m1", 9, 10, types(SharePartition.ACCEPT), 10, LOCK_MS), "never delivered");
        assertEquals(Errors.INVALID_REQUEST,
                partition.acknowledge("m1", 5, 7, List.of((byte) 1, (byte) 1), 10, LOCK_MS), "types do not fit");
    }

    @Test
    void releasedRecordsComeBackWithAHigherCountRejectedOnesNeverAndTheLimitArchives() {
        partition.acquire("m1", TEN, 500, false, 0, LOCK_MS);
        assertEquals(Errors.NONE, partition.acknowledge("m1", 0, 9,
                List.of((byte) 1, (byte) 2, (byte) 3, (byte) 1, (byte) 1, (byte) 1, (byte) 1, (byte) 1, (byte) 1,
                        (byte) 1), 10, LOCK_MS));
        assertEquals(1, partition.startOffset(), "offset 1 was released");
        assertEquals(State.ARCHIVED, partition.state(2, 10));
        assertEquals(1, partition.nextFetchOffset(10));

        SharePartition.Acquisition again = partition.acquire("m2", TEN, 500, false, 20, LOCK_MS);
        assertEquals(List.of(new AcquiredRange(1, 1, (short) 2)), again.ranges());
        assertEquals(1, again.batchesUsed());
        partition.acknowledge("m2", 1, 1, types(SharePartition.RELEASE), 30, LOCK_MS);
        assertEquals(List.of(new AcquiredRange(1, 1, (short) 3)),
                partition.acquire("m1", TEN, 500, false, 40, LOCK_MS).ranges());
        partition.acknowledge("m1", 1, 1, types(SharePartition.RELEASE), 50, LOCK_MS);
        assertEquals(10, partition.startOffset(), "released on its third (last) delivery: archived");
        assertNull(partition.state(1, 50));
    }

    @Test
    void anExpiredLockMakesRecordsAvailableAndALateAcknowledgementFails() {
        partition.acquire("m1", TEN, 500, false, 0, LOCK_MS);
        assertEquals(10, partition.nextFetchOffset(999));
        assertEquals(0, partition.nextFetchOffset(1_000));
        assertEquals(Errors.INVALID_RECORD_STATE,
                partition.acknowledge("m1", 0, 9, types(SharePartition.ACCEPT), 1_000, LOCK_MS));
        assertEquals(List.of(new AcquiredRange(0, 9, (short) 2)),
                partition.acquire("m2", TEN, 500, false, 1_001, LOCK_MS).ranges());
        assertEquals(Errors.NONE, partition.acknowledge("m2", 0, 9, types(SharePartition.RENEW), 1_900, LOCK_MS));
        assertEquals(State.ACQUIRED, partition.state(0, 2_500), "renewed at 1900 for another second");
        partition.releaseAll("m2");
        assertEquals(State.AVAILABLE, partition.state(0, 2_500));
    }

    @Test
    void limitsBoundWhatIsAcquired() {
        SharePartition small = new SharePartition(0, 0, 5, 4);
        List<Batch> batches = List.of(new Batch(0, 2, true), new Batch(3, 5, true), new Batch(6, 8, true));
        assertEquals(List.of(new AcquiredRange(0, 5, (short) 1)),
                small.acquire("m1", batches, 500, false, 0, LOCK_MS).ranges(), "a batch begun within the window is whole");
        assertTrue(small.acquire("m1", batches, 500, false, 0, LOCK_MS).ranges().isEmpty());
        assertEquals(-1, small.nextFetchOffset(0));

        SharePartition strict = new SharePartition(0, 0, 5, 100);
        assertEquals(List.of(new AcquiredRange(0, 1, (short) 1)),
                strict.acquire("m1", batches, 2, true, 0, LOCK_MS).ranges());
        assertEquals(2, strict.endOffset());
    }

    @Test
    void controlBatchesHoldNothingToDeliver() {
        List<Batch> batches = List.of(new Batch(0, 1, true), new Batch(2, 2, false), new Batch(3, 4, true));
        assertEquals(List.of(new AcquiredRange(0, 1, (short) 1), new AcquiredRange(3, 4, (short) 1)),
                partition.acquire("m1", batches, 500, false, 0, LOCK_MS).ranges());
        partition.acknowledge("m1", 0, 1, types(SharePartition.ACCEPT), 1, LOCK_MS);
        assertEquals(3, partition.startOffset());
        partition.acknowledge("m1", 3, 4, types(SharePartition.ACCEPT), 1, LOCK_MS);
        assertEquals(5, partition.startOffset());
        partition.moveStartTo(8);
        assertEquals(8, partition.endOffset());
    }

    @Test
    void aSnapshotRestoresAcknowledgedAndArchivedRecordsAndMakesAcquiredOnesAvailable() {
        partition.acquire("m1", TEN, 500, false, 0, LOCK_MS);
        partition.acknowledge("m1", 0, 3, List.of((byte) 1, (byte) 2, (byte) 1, (byte) 3), 10, LOCK_MS);
        ShareSnapshot snapshot = partition.snapshot();
        assertEquals(1, snapshot.startOffset(), "offset 1 was released");

        SharePartition restored = SharePartition.restored(snapshot, 1, 3, 100);
        assertEquals(1, restored.startOffset());
        assertEquals(10, restored.endOffset());
        assertEquals(State.AVAILABLE, restored.state(1, 20));
        assertEquals(State.ACKNOWLEDGED, restored.state(2, 20));
        assertEquals(State.ARCHIVED, restored.state(3, 20));
        assertEquals(State.AVAILABLE, restored.state(4, 20), "acquired when written: available again");
        assertEquals(List.of(new AcquiredRange(1, 1, (short) 2), new AcquiredRange(4, 9, (short) 2)),
                restored.acquire("m2", TEN, 500, false, 20, LOCK_MS).ranges());
    }

    /**
     * Records that go back without an acknowledgement (an expired lock, a closed session) ask for
     * one state write, so the delivery counts of those deliveries survive a new leader.
     */
    @Test
    void anExpiredLockOrAClosedSessionAsksForOneStateWrite() {
        partition.acquire("m1", TEN, 500, false, 0, LOCK_MS);
        assertFalse(partition.takeUnwrittenRelease(999), "every lock still held");
        assertEquals(1_000, partition.earliestLockDeadline());
        assertTrue(partition.takeUnwrittenRelease(1_000));
        assertFalse(partition.takeUnwrittenRelease(1_000), "asked once");
        assertEquals(List.of(new ShareStateBatch(0, 9, ShareStateBatch.AVAILABLE, (short) 1)),
                partition.snapshot().batches(), "what is written: available, delivered once");
        partition.acquire("m2", TEN, 500, false, 1_001, LOCK_MS);
        partition.releaseAll("m2");
        assertTrue(partition.takeUnwrittenRelease(1_002));
        assertEquals(List.of(new ShareStateBatch(0, 9, ShareStateBatch.AVAILABLE, (short) 2)),
                partition.snapshot().batches());
        assertTrue(partition.claimExpiryCheck());
        assertFalse(partition.claimExpiryCheck(), "one timer at a time");
        partition.expiryCheckDone();
        assertTrue(partition.claimExpiryCheck());
    }
}
