package io.millrace.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a bounded run of messages of one partition with a short-lived consumer that has no group
 * (nothing is committed, no group is joined), from an offset, from a time, or the last ones.
 * Thread-safe: each read has its own consumer.
 */
final class MessageBrowser {

    static final int MAX_MESSAGES = 500;
    private static final long READ_BUDGET_MS = 5_000;

    /** One message as read. */
    record Message(long offset, long timestamp, byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers) {
    }

    /** What a read returned, and the partition's offsets at the time. */
    record Page(List<Message> messages, long startOffset, long endOffset, long firstOffset) {
    }

    private final Map<String, Object> clientProperties;
    /** Each read's consumer gets its own client.id: reads may overlap, and client ids name JMX beans. */
    private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

    MessageBrowser(Map<String, Object> clientProperties) {
        this.clientProperties = clientProperties;
    }

    /**
     * @param fromOffset    the first offset to read, or empty
     * @param fromTimestamp read from the first message at or after this time (ms), or empty; with
     *                      neither, the last {@code limit} messages are read
     */
    Page read(String topic, int partition, OptionalLong fromOffset, OptionalLong fromTimestamp, int limit) {
        int max = Math.max(1, Math.min(limit, MAX_MESSAGES));
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put("enable.auto.commit", false);
        props.remove("group.id");
        props.put("client.id", "millrace-console-browse-" + reads.incrementAndGet());
        props.put("max.poll.records", max);
        props.put("default.api.timeout.ms", (int) AdminCalls.TIMEOUT_MS);
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            long start = consumer.beginningOffsets(List.of(tp)).get(tp);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long first;
            if (fromOffset.isPresent()) {
                first = Math.max(start, Math.min(end, fromOffset.getAsLong()));
            } else if (fromTimestamp.isPresent()) {
                OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(tp, fromTimestamp.getAsLong())).get(tp);
                first = at == null ? end : at.offset();
            } else {
                first = Math.max(start, end - max);
            }
            List<Message> messages = new ArrayList<>();
            consumer.seek(tp, first);
            long deadline = System.currentTimeMillis() + READ_BUDGET_MS;
            while (messages.size() < max && consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (messages.size() < max) {
                        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
                        for (Header h : r.headers()) {
                            headers.add(Map.entry(h.key(), h.value() == null ? new byte[0] : h.value()));
                        }
                        messages.add(new Message(r.offset(), r.timestamp(), r.key(), r.value(), headers));
                    }
                }
            }
            return new Page(messages, start, end, first);
        }
    }
}
