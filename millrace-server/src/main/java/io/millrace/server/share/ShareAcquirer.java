package io.millrace.server.share;

import io.millrace.server.partition.Partition;
import io.millrace.storage.AbortedTransaction;
import io.millrace.storage.PartitionLog;
import io.millrace.storage.ReadResult;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Acquires records of one partition for one member: reads whole batches from the share-partition's
 * next offset to deliver (never past the high watermark, or the last stable offset for a
 * read_committed group), reads their headers in place (control batches and, for read_committed,
 * batches of aborted transactions hold nothing to deliver), lets the {@link SharePartition}
 * acquire, and returns the batches that hold what it acquired, as stored. No object per record.
 * Thread-safe (each call uses its own flyweight).
 */
final class ShareAcquirer {
    /**
     * What one partition gave: an error, or the acquired ranges and the batches holding them; while
     * the share-partition state is being read, nothing and the read's future.
     */
    record Acquired(Errors error, Partition partition, List<SharePartition.AcquiredRange> ranges, ByteBuffer records,
                    CompletableFuture<Void> loading) {
        static Acquired failed(Errors error, Partition partition) {
            return new Acquired(error, partition, List.of(), null, null);
        }

        static Acquired nothing(Partition partition) {
            return new Acquired(Errors.NONE, partition, List.of(), null, null);
        }

        int recordCount() {
            long n = 0;
            for (SharePartition.AcquiredRange r : ranges) {
                n += r.lastOffset() - r.firstOffset() + 1;
            }
            return (int) n;
        }
    }

    private final SharePartitions partitions;

    ShareAcquirer(SharePartitions partitions) {
        this.partitions = partitions;
    }

    Acquired acquire(String groupId, String memberId, TopicPartition tp, int maxRecords, boolean strictLimit,
                     int maxBytes, long nowMs) {
        SharePartitions.Lookup lookup = partitions.get(groupId, tp, nowMs);
        if (lookup.error() != Errors.NONE) {
            return Acquired.failed(lookup.error(), lookup.partition());
        }
        if (lookup.state() == null) { // its state is being read from the share coordinator
            return new Acquired(Errors.NONE, lookup.partition(), List.of(), null, lookup.loading());
        }
        SharePartition state = lookup.state();
        PartitionLog log = lookup.partition().log();
        boolean readCommitted = partitions.config().readCommitted(groupId);
        state.moveStartTo(log.logStartOffset());
        long from = state.nextFetchOffset(nowMs);
        long bound = readCommitted ? log.lastStableOffset() : log.highWatermark();
        if (from < 0 || from >= bound || maxRecords <= 0) {
            return Acquired.nothing(lookup.partition());
        }
        ReadResult read;
        try {
            read = log.read(from, Math.max(maxBytes, 1), bound, true);
        } catch (OffsetOutOfRangeException e) {
            state.moveStartTo(log.logStartOffset());
            return Acquired.nothing(lookup.partition());
        }
        ByteBuffer buffer = read.records();
        List<AbortedTransaction> aborted = readCommitted ? log.abortedTransactions(from, bound) : List.of();
        List<SharePartition.Batch> batches = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        RecordBatchHeader header = new RecordBatchHeader();
        int position = buffer.position();
        while (position + RecordBatchHeader.LOG_OVERHEAD <= buffer.limit()) {
            header.wrap(buffer, position);
            int end = position + header.sizeInBytes();
            if (end > buffer.limit()) {
                break;
            }
            boolean deliverable = !header.isControl() && !(header.isTransactional() && isAborted(header, aborted));
            batches.add(new SharePartition.Batch(header.baseOffset(), header.lastOffset(), deliverable));
            ends.add(end);
            position = end;
        }
        String member = memberId;
        long lockMs = partitions.config().recordLockDurationMs(groupId);
        SharePartition.Acquisition acquisition = state.acquire(member, batches, maxRecords, strictLimit, nowMs, lockMs);
        if (acquisition.ranges().isEmpty()) {
            return Acquired.nothing(lookup.partition());
        }
        partitions.watchLocks(groupId, tp, state);
        ByteBuffer records = buffer.duplicate();
        records.limit(ends.get(acquisition.batchesUsed() - 1));
        return new Acquired(Errors.NONE, lookup.partition(), acquisition.ranges(), records.slice(), null);
    }

    private static boolean isAborted(RecordBatchHeader batch, List<AbortedTransaction> aborted) {
        for (AbortedTransaction t : aborted) {
            if (t.producerId() == batch.producerId() && t.firstOffset() <= batch.baseOffset()
                    && batch.baseOffset() < t.lastOffset()) {
                return true;
            }
        }
        return false;
    }
}
