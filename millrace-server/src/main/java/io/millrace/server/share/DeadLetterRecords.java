package io.millrace.server.share;

import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The records a dead letter becomes (KIP-1191, as Kafka 4.4 writes them): one per offset, stamped
 * with the time of writing, carrying the headers {@code __dlq.errors.topic}, {@code .partition},
 * {@code .offset}, {@code .group}, {@code .delivery.count} and {@code .message} (all UTF-8 text)
 * and, when copied, the original record's key and value (not its headers). Uncompressed, no
 * producer id, split into batches of at most the topic's {@code max.message.bytes}. Stateless.
 */
final class DeadLetterRecords {
    static final String TOPIC = "__dlq.errors.topic";
    static final String PARTITION = "__dlq.errors.partition";
    static final String OFFSET = "__dlq.errors.offset";
    static final String GROUP = "__dlq.errors.group";
    static final String DELIVERY_COUNT = "__dlq.errors.delivery.count";
    static final String MESSAGE = "__dlq.errors.message";

    private static final int RECORD_OVERHEAD = 32;

    private DeadLetterRecords() {
    }

    /**
     * @param originals the key and value ({@code byte[][]{key, value}}) of each offset to copy;
     *                  empty for headers-only records
     */
    static List<ByteBuffer> batches(String groupId, TopicPartition source, DeadLetter letter,
                                    Map<Long, byte[][]> originals, long nowMs, int maxBatchBytes) {
        List<ByteBuffer> batches = new ArrayList<>();
        KafkaRecords.BatchBuilder builder = null;
        int size = 0;
        for (long offset = letter.firstOffset(); offset <= letter.lastOffset(); offset++) {
            byte[][] original = originals.get(offset);
            byte[] key = original == null ? null : original[0];
            byte[] value = original == null ? null : original[1];
            Header[] headers = headers(groupId, source, offset, letter);
            int recordSize = RECORD_OVERHEAD + length(key) + length(value);
            for (Header header : headers) {
                recordSize += header.key().length() + header.value().length + 2;
            }
            if (builder != null && size + recordSize > maxBatchBytes) {
                batches.add(builder.build());
                builder = null;
            }
            if (builder == null) {
                builder = KafkaRecords.batchBuilder();
                size = 0;
            }
            builder.add(nowMs, key, value, headers);
            size += recordSize;
        }
        if (builder != null) {
            batches.add(builder.build());
        }
        return batches;
    }

    private static Header[] headers(String groupId, TopicPartition source, long offset, DeadLetter letter) {
        return new Header[] {
            header(TOPIC, source.topic()),
            header(PARTITION, Integer.toString(source.partition())),
            header(OFFSET, Long.toString(offset)),
            header(GROUP, groupId),
            header(DELIVERY_COUNT, Short.toString(letter.deliveryCount())),
            header(MESSAGE, letter.reason())
        };
    }

    private static Header header(String key, String value) {
        return new TextHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** One header (kafka-clients' own header class is in an internals package). */
    private record TextHeader(String key, byte[] value) implements Header {
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
