package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KafkaRecords#forEachRecordAndMarker}: producers of records, and transaction markers. */
class KafkaRecordsMarkerTest {
    /** Control record key: int16 version 0, int16 type (0 abort, 1 commit). */
    private static final byte[] COMMIT_KEY = {0, 0, 0, 1};
    private static final byte[] ABORT_KEY = {0, 0, 0, 0};
    private static final byte[] MARKER_VALUE = {0, 0, 0, 0, 0, 0};

    @Test
    void reportsEachRecordsProducerAndTheTransactionMarkers() {
        ByteBuffer plain = KafkaRecords.batchBuilder().baseOffset(0).add(1L, "k", "v").build();
        ByteBuffer txn = KafkaRecords.batchBuilder().baseOffset(1).producer(42, (short) 3, 0).transactional(true)
                .add(2L, "t", "1").add(2L, "t", "2").build();
        ByteBuffer commit = KafkaRecords.batchBuilder().baseOffset(3).producer(42, (short) 3, 2).transactional(true)
                .control(true).add(3L, COMMIT_KEY, MARKER_VALUE).build();
        ByteBuffer abort = KafkaRecords.batchBuilder().baseOffset(4).producer(7, (short) 0, 0).transactional(true)
                .control(true).add(4L, ABORT_KEY, MARKER_VALUE).build();
        ByteBuffer all = ByteBuffer.allocate(plain.remaining() + txn.remaining() + commit.remaining() + abort.remaining())
                .put(plain).put(txn).put(commit).put(abort).flip();

        List<String> seen = new ArrayList<>();
        long next = KafkaRecords.forEachRecordAndMarker(all, new KafkaRecords.ProducerRecordVisitor() {
            @Override
            public void record(long offset, long producerId, short producerEpoch, boolean transactional, byte[] key,
                               byte[] value) {
                seen.add(offset + " record " + producerId + "/" + producerEpoch + (transactional ? " txn " : " ")
                        + new String(value));
            }

            @Override
            public void endTransactionMarker(long offset, long producerId, short producerEpoch, boolean commit) {
                seen.add(offset + (commit ? " COMMIT " : " ABORT ") + producerId + "/" + producerEpoch);
            }
        });

        assertEquals(List.of("0 record -1/-1 v", "1 record 42/3 txn 1", "2 record 42/3 txn 2", "3 COMMIT 42/3",
                "4 ABORT 7/0"), seen);
        assertEquals(5, next);
    }
}
