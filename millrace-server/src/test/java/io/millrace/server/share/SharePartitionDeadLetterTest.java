package io.millrace.server.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateBatch;
import io.millrace.server.share.SharePartition.Batch;
import io.millrace.server.share.SharePartition.State;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * KIP-1191 in the share-partition state machine: with a dead-letter topic, rejected records and
 * records past the delivery count limit are archiving (the start offset waits) until their
 * dead-letter write ends; the archiving state survives a leader change; the records' layout.
 */
class SharePartitionDeadLetterTest {
    private static final long LOCK_MS = 1_000;
    private static final List<Batch> FIVE = List.of(new Batch(0, 4, true));

    @Test
    void rejectedAndExhaustedRecordsWaitForTheirDeadLetterWrite() {
        SharePartition partition = new SharePartition(0, 0, 2, 100);
        partition.deadLetterWhen(() -> true);
        partition.acquire("m1", FIVE, 500, false, 0, LOCK_MS);
        partition.acknowledge("m1", 0, 4, List.of(SharePartition.REJECT, SharePartition.REJECT,
                SharePartition.RELEASE, SharePartition.ACCEPT, SharePartition.GAP), 10, LOCK_MS);
        assertEquals(State.ARCHIVING, partition.state(0, 10));
        assertEquals(0, partition.startOffset(), "the start offset waits for the dead letters");
        assertEquals(List.of(new DeadLetter(0, 1, (short) 1, true)), partition.takeDeadLetters());
        assertEquals(List.of(), partition.takeDeadLetters(), "handed out once");
        assertFalse(partition.retireIfIdle(10), "not retired while archiving");

        partition.acquire("m1", FIVE, 500, false, 20, LOCK_MS); // offset 2, second delivery: the limit
        // the lock expires: past the limit, so archiving rather than available
        assertEquals(State.ARCHIVING, partition.state(2, 20 + LOCK_MS));
        assertEquals(List.of(new DeadLetter(2, 2, (short) 2, false)), partition.takeDeadLetters());

        partition.archiveDeadLetter(new DeadLetter(0, 1, (short) 1, true));
        assertEquals(2, partition.startOffset());
        partition.archiveDeadLetter(new DeadLetter(2, 2, (short) 2, false));
        assertEquals(5, partition.startOffset());
    }

    @Test
    void withoutADeadLetterTopicRecordsAreArchivedAtOnce() {
        SharePartition partition = new SharePartition(0, 0, 2, 100);
        partition.acquire("m1", FIVE, 500, false, 0, LOCK_MS);
        partition.acknowledge("m1", 0, 4, List.of(SharePartition.REJECT), 10, LOCK_MS);
        assertEquals(5, partition.startOffset());
        assertEquals(List.of(), partition.takeDeadLetters());
    }

    @Test
    void archivingStateIsWrittenAndResumedByTheNextLeader() {
        SharePartition partition = new SharePartition(0, 0, 3, 100);
        partition.deadLetterWhen(() -> true);
        partition.acquire("m1", FIVE, 500, false, 0, LOCK_MS);
        partition.acknowledge("m1", 1, 1, List.of(SharePartition.REJECT), 10, LOCK_MS);
        ShareSnapshot snapshot = partition.snapshot();
        assertTrue(snapshot.batches().contains(new ShareStateBatch(1, 1, ShareStateBatch.ARCHIVING, (short) 1)),
                snapshot.toString());

        SharePartition next = SharePartition.restored(snapshot, 1, 3, 100);
        assertEquals(State.ARCHIVING, next.state(1, 0));
        assertEquals(List.of(new DeadLetter(1, 1, (short) 1, true)), next.takeDeadLetters(),
                "the new leader writes the dead letter the old one may not have");
    }

    @Test
    void deadLetterRecordsCarryKafkasHeadersAndTheCopiedRecord() {
        List<ByteBuffer> batches = DeadLetterRecords.batches("g", new TopicPartition("t", 3),
                new DeadLetter(7, 9, (short) 5, false), Map.of(8L, new byte[][] {"k".getBytes(), "v".getBytes()}),
                1_000, 1 << 20);
        assertEquals(1, batches.size());
        List<ByteBuffer> split = DeadLetterRecords.batches("g", new TopicPartition("t", 3),
                new DeadLetter(7, 9, (short) 5, false), Map.of(), 1_000, 250);
        assertEquals(3, split.size(), "each batch within the topic's max.message.bytes");
    }
}
