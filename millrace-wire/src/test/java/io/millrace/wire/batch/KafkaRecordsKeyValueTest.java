package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KafkaRecordsKeyValueTest {

    record Seen(long offset, byte[] key, byte[] value) {
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void visitsKeysAndValuesOfEveryBatchSkippingControlBatches(BatchCompression codec) {
        ByteBuffer first = KafkaRecords.batchBuilder().compression(codec).baseOffset(10)
                .add(1L, new byte[] {1}, new byte[] {2, 3}).add(2L, new byte[] {4}, null).build();
        ByteBuffer control = KafkaRecords.batchBuilder().baseOffset(12).control(true).add(3L, "c", "c").build();
        ByteBuffer last = KafkaRecords.batchBuilder().compression(codec).baseOffset(13).add(4L, null, new byte[] {9}).build();
        ByteBuffer all = ByteBuffer.allocate(first.remaining() + control.remaining() + last.remaining() + 5)
                .put(first).put(control).put(last).put(new byte[] {0, 0, 0, 0, 0}).flip();

        List<Seen> seen = new ArrayList<>();
        long next = KafkaRecords.forEachKeyValue(all, (offset, timestamp, key, value) -> seen.add(new Seen(offset, key, value)));

        assertEquals(14, next);
        assertEquals(List.of(10L, 11L, 13L), seen.stream().map(Seen::offset).toList());
        assertArrayEquals(new byte[] {2, 3}, seen.get(0).value());
        assertNull(seen.get(1).value());
        assertNull(seen.get(2).key());
        assertArrayEquals(new byte[] {9}, seen.get(2).value());
    }

    @ParameterizedTest
    @EnumSource(value = BatchCompression.class, names = "NONE")
    void noWholeBatchMeansMinusOne(BatchCompression codec) {
        assertEquals(-1, KafkaRecords.forEachKeyValue(ByteBuffer.allocate(3), (o, t, k, v) -> { }));
    }
}
