package io.millrace.server.coordinator;

import io.millrace.common.Time;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorRecordCodec;
import io.millrace.server.partition.AppendOutcome;
import io.millrace.server.partition.Partition;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.storage.PartitionLog;
import io.millrace.storage.ReadResult;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's records in {@code __consumer_offsets}: each append is one uncompressed v2
 * batch of key/value records (key = 2-byte key type + key, see {@link CoordinatorRecordCodec})
 * appended as leader with acks=all and waited for until the high watermark passes it (blocking the
 * calling shard thread, at most 5 s); a load reads the partition from its start to its log end
 * offset. Thread-safe (the partition log is).
 */
public final class PartitionCoordinatorLog implements CoordinatorLog {
    private static final Logger log = LoggerFactory.getLogger(PartitionCoordinatorLog.class);
    private static final short ACKS_ALL = -1;
    /** How long an append waits to be committed (like offsets.commit.timeout.ms). */
    private static final long COMMIT_TIMEOUT_MS = 5_000;

    private final String topic;
    private final PartitionAccess access;
    private final Time time;
    private final int loadBufferBytes;

    public PartitionCoordinatorLog(String topic, PartitionAccess access, Time time, int loadBufferBytes) {
        this.topic = topic;
        this.access = access;
        this.time = time;
        this.loadBufferBytes = loadBufferBytes;
    }

    @Override
    public void append(int partition, List<CoordinatorRecord> records) {
        KafkaRecords.BatchBuilder batch = KafkaRecords.batchBuilder();
        long now = time.milliseconds();
        for (CoordinatorRecord record : records) {
            batch.add(now, CoordinatorRecordCodec.kafkaKey(record), record.value());
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        AppendOutcome outcome = access.append(tp, batch.build(), ACKS_ALL);
        if (outcome.error() == Errors.NONE) {
            // Committed once the high watermark passes the batch: wait here (a coordinator shard thread).
            Errors committed = access.awaitCommitted(tp, outcome.result(), COMMIT_TIMEOUT_MS).join();
            if (committed != Errors.NONE) {
                outcome = new AppendOutcome(committed, "Coordinator records of " + tp + " were not committed: "
                        + committed, outcome.result());
            }
        }
        if (outcome.error() != Errors.NONE) {
            Errors mapped = switch (outcome.error()) {
                case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                     REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
                case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
                case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
                default -> Errors.UNKNOWN_SERVER_ERROR;
            };
            log.warn("Appending {} coordinator records to {}-{} failed with {}; answering {}", records.size(), topic,
                    partition, outcome.error(), mapped);
            throw mapped.exception(outcome.message());
        }
    }

    @Override
    public void readAll(int partition, Consumer<CoordinatorRecord> sink) {
        TopicPartition tp = new TopicPartition(topic, partition);
        Partition hosted = access.partitions().get(tp)
                .orElseThrow(() -> new NotCoordinatorException("No local log of " + tp));
        PartitionLog partitionLog = hosted.log();
        long offset = partitionLog.logStartOffset();
        long end = partitionLog.logEndOffset(); // as Kafka's loader: the new leader's whole log
        while (offset < end) {
            ReadResult read = partitionLog.read(offset, loadBufferBytes, end, true);
            ByteBuffer batches = read.records();
            if (!batches.hasRemaining()) {
                break;
            }
            long from = offset;
            long next = KafkaRecords.forEachKeyValue(batches, (recordOffset, timestamp, key, value) -> {
                if (recordOffset < from) {
                    return;
                }
                CoordinatorRecord record;
                try {
                    record = CoordinatorRecordCodec.decode(key, value);
                } catch (IllegalArgumentException e) {
                    log.warn("Skipping a record without a coordinator key at offset {} of {}", recordOffset, tp);
                    return;
                }
                sink.accept(record);
            });
            if (next <= offset) {
                break;
            }
            offset = next;
        }
    }
}
