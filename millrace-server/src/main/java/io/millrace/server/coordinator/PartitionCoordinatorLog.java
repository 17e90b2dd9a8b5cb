package io.millrace.server.coordinator;

import io.millrace.common.Time;
import io.millrace.coordinator.runtime.BatchProducer;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorRecordCodec;
import io.millrace.coordinator.runtime.CoordinatorShard;
import io.millrace.coordinator.runtime.TransactionMarker;
import io.millrace.server.partition.AppendOutcome;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.storage.AppendOrigin;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's records in its topic ({@code __consumer_offsets}, later {@code __transaction_state}):
 * each append is one uncompressed v2 batch of key/value records (key = 2-byte key type + key, see
 * {@link CoordinatorRecordCodec}; a TxnOffsetCommit's batch carries its producer's id and epoch and
 * the transactional bit) appended as leader with acks=all; a WriteTxnMarkers marker is appended as
 * to any partition; it returns at once, with a
 * future that the partition's commit waiters ({@link PartitionAccess#awaitCommitted}, the acks=all
 * path) complete once the high watermark passes the batch, at most {@value #COMMIT_TIMEOUT_MS} ms
 * later. A load reads the partition from its start to its log end offset, with each record's
 * producer and the transaction markers. Partition errors become the coordinator errors Kafka's
 * group coordinator answers. Thread-safe (the partition log is).
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
    public Appended append(int partition, BatchProducer producer, List<CoordinatorRecord> records) {
        KafkaRecords.BatchBuilder batch = KafkaRecords.batchBuilder();
        if (producer.transactional()) {
            // As Kafka's coordinator: the producer's id and epoch, sequence 0, the transactional bit.
            batch.producer(producer.producerId(), producer.producerEpoch(), 0).transactional(true);
        }
        long now = time.milliseconds();
        for (CoordinatorRecord record : records) {
            batch.add(now, CoordinatorRecordCodec.kafkaKey(record), record.value());
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        AppendOutcome outcome = access.append(tp, batch.build(), ACKS_ALL, AppendOrigin.COORDINATOR);
        if (outcome.error() != Errors.NONE) {
            throw coordinatorError(tp, records.size(), outcome.error(), outcome.message());
        }
        CompletableFuture<Void> committed = access.awaitCommitted(tp, outcome.result(), COMMIT_TIMEOUT_MS)
                .thenApply(error -> {
                    if (error != Errors.NONE) {
                        throw coordinatorError(tp, records.size(), error, "Coordinator records of " + tp
                                + " were not committed: " + error);
                    }
                    return null;
                });
        return new Appended(outcome.result().firstOffset(), committed);
    }

    /**
     * Appends the marker as WriteTxnMarkers would to any partition ({@link
     * PartitionAccess#appendTransactionMarker}); its errors stay the partition's, which is what the
     * transaction coordinator expects back.
     */
    @Override
    public Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch,
                                               int coordinatorEpoch, TransactionMarker marker) {
        TopicPartition tp = new TopicPartition(topic, partition);
        AppendOutcome outcome = access.appendTransactionMarker(tp, producerId, producerEpoch,
                new io.millrace.wire.batch.TransactionMarker(marker == TransactionMarker.COMMIT, coordinatorEpoch));
        if (outcome.error() != Errors.NONE) {
            throw outcome.error().exception(outcome.message());
        }
        CompletableFuture<Void> committed = access.awaitCommitted(tp, outcome.result(), COMMIT_TIMEOUT_MS)
                .thenApply(error -> {
                    if (error != Errors.NONE) {
                        throw error.exception("The " + marker + " marker of producer " + producerId + " in " + tp
                                + " was not committed: " + error);
                    }
                    return null;
                });
        return new Appended(outcome.result().firstOffset(), committed);
    }

    /** The error Kafka's group coordinator answers for a failed write to its partition. */
    private static ApiException coordinatorError(TopicPartition tp, int count, Errors error, String message) {
        Errors mapped = switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                 REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            // a TxnOffsetCommit's batch refused by the producer state: the producer's own error
            case INVALID_PRODUCER_EPOCH, PRODUCER_FENCED, INVALID_TXN_STATE -> error;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
        log.warn("Writing {} coordinator records to {} failed with {}; answering {}", count, tp, error, mapped);
        return mapped.exception(message);
    }

    @Override
    public void readAll(int partition, RecordSink sink) {
        TopicPartition tp = new TopicPartition(topic, partition);
        PartitionAccess.LocalRange range = access.localRange(tp)
                .orElseThrow(() -> new NotCoordinatorException("No local log of " + tp));
        long offset = range.startOffset();
        long end = range.endOffset(); // as Kafka's loader: the new leader's whole log
        while (offset < end) {
            ByteBuffer batches = access.readLocal(tp, offset, loadBufferBytes, end);
            if (!batches.hasRemaining()) {
                break;
            }
            long next = KafkaRecords.forEachRecordAndMarker(batches, new LoadVisitor(tp, offset, sink));
            if (next <= offset) {
                break;
            }
            offset = next;
        }
    }

    /** Turns the walked records of one read into coordinator records; skips those before {@code from}. */
    private record LoadVisitor(TopicPartition tp, long from, RecordSink sink) implements KafkaRecords.ProducerRecordVisitor {
        @Override
        public void record(long offset, long producerId, short producerEpoch, boolean transactional, byte[] key,
                           byte[] value) {
            if (offset < from) {
                return;
            }
            CoordinatorRecord record;
            try {
                record = CoordinatorRecordCodec.decode(key, value);
            } catch (IllegalArgumentException e) {
                log.warn("Skipping a record without a coordinator key at offset {} of {}", offset, tp);
                return;
            }
            // Only a transaction's records wait for its marker; an idempotent batch counts at once.
            sink.record(offset, transactional ? producerId : CoordinatorShard.NO_PRODUCER_ID,
                    transactional ? producerEpoch : CoordinatorShard.NO_PRODUCER_EPOCH, record);
        }

        @Override
        public void endTransactionMarker(long offset, long producerId, short producerEpoch, boolean commit) {
            if (offset >= from) {
                sink.endTransactionMarker(offset, producerId, producerEpoch,
                        commit ? TransactionMarker.COMMIT : TransactionMarker.ABORT);
            }
        }
    }
}
