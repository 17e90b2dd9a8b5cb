package io.millrace.coordinator.txn;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.PayloadReader;
import io.millrace.coordinator.runtime.PayloadWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of {@code __transaction_state}: one key per transactional id, the latest value wins
 * (the topic is compacted), a tombstone when the id expires. Stateless.
 *
 * <p>On disk (our own format, stable; big-endian; strings int16 length + UTF-8, see
 * {@link PayloadWriter}): record key type {@value #KEY_TYPE};
 * <ul>
 *   <li>key: int16 version (0), string transactional id;</li>
 *   <li>value: int16 version (0), int64 producer id, int64 previous producer id, int64 next
 *       producer id, int16 producer epoch, int16 last producer epoch, int32 timeout ms, int16
 *       status ({@link TransactionStatus#id()}), int32 topic count, per topic (sorted by name):
 *       string topic, int32 partition count, int32 partition each (ascending); int64 start
 *       timestamp, int64 last update timestamp, int16 client transaction version.</li>
 * </ul>
 * A reader of version 0 ignores bytes after the fields it knows, so later versions may append.
 */
public final class TransactionRecords {
    /** The key type of a transaction metadata record (Kafka's TransactionLogKey is type 0 too). */
    public static final short KEY_TYPE = 0;
    private static final short VERSION = 0;

    private TransactionRecords() {
    }

    public static CoordinatorRecord record(TransactionMetadata metadata) {
        return new CoordinatorRecord(KEY_TYPE, key(metadata.transactionalId()), value(metadata));
    }

    public static CoordinatorRecord tombstone(String transactionalId) {
        return new CoordinatorRecord(KEY_TYPE, key(transactionalId), null);
    }

    public static String transactionalId(CoordinatorRecord record) {
        PayloadReader key = new PayloadReader(record.key());
        key.getShort();
        return key.getString();
    }

    /** The metadata a non-tombstone record holds. */
    public static TransactionMetadata metadata(CoordinatorRecord record) {
        String transactionalId = transactionalId(record);
        PayloadReader in = new PayloadReader(record.value());
        short version = in.getShort();
        if (version < 0) {
            throw new IllegalArgumentException("Bad transaction record version " + version);
        }
        long producerId = in.getLong();
        long previousProducerId = in.getLong();
        long nextProducerId = in.getLong();
        short epoch = in.getShort();
        short lastEpoch = in.getShort();
        int timeoutMs = in.getInt();
        TransactionStatus status = TransactionStatus.fromId(in.getShort());
        Set<TopicPartition> partitions = new HashSet<>();
        int topics = in.getInt();
        for (int t = 0; t < topics; t++) {
            String topic = in.getString();
            int count = in.getInt();
            for (int i = 0; i < count; i++) {
                partitions.add(new TopicPartition(topic, in.getInt()));
            }
        }
        long start = in.getLong();
        long lastUpdate = in.getLong();
        short clientVersion = in.getShort();
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, nextProducerId, epoch,
                lastEpoch, timeoutMs, status, partitions, start, lastUpdate, clientVersion);
    }

    private static byte[] key(String transactionalId) {
        return new PayloadWriter().putShort(VERSION).putString(transactionalId).toArray();
    }

    private static byte[] value(TransactionMetadata m) {
        PayloadWriter out = new PayloadWriter().putShort(VERSION).putLong(m.producerId()).putLong(m.previousProducerId())
                .putLong(m.nextProducerId()).putShort(m.producerEpoch()).putShort(m.lastProducerEpoch())
                .putInt(m.timeoutMs()).putShort(m.status().id());
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : m.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        out.putInt(byTopic.size());
        byTopic.forEach((topic, partitions) -> {
            out.putString(topic).putInt(partitions.size());
            partitions.stream().sorted().forEach(out::putInt);
        });
        return out.putLong(m.startTimestamp()).putLong(m.lastUpdateTimestamp())
                .putShort(m.clientTransactionVersion()).toArray();
    }
}
