package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import io.millrace.wire.batch.RecordBatchWriter;
import io.millrace.wire.batch.RecordCursor;
import io.millrace.wire.batch.RecordsCompression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.TimestampType;

/**
 * Decides, batch by batch and in offset order, what of a log survives a cleaning, and writes it.
 * One instance per cleaning; it carries state from batch to batch (open transactions, the next
 * delete horizon, counts).
 *
 * <p>A record is kept when it has a key, no later record of that key is in the {@link OffsetMap}
 * (its offset is at or above the mapped one), and it is not a tombstone whose batch's delete
 * horizon has passed. Offsets never change: a batch that loses records is rewritten with the same
 * baseOffset, lastOffsetDelta, producer id, epoch and base sequence, its codec (records are
 * recompressed), and its remaining records' bytes unchanged; only the record count, max timestamp
 * and CRC change. A batch that keeps everything is copied byte for byte.
 *
 * <p>Tombstones and transaction markers: the first cleaning that keeps a batch holding a
 * tombstone stamps it with a delete horizon, now + delete.retention.ms, in Kafka's format
 * (attribute bit 6 set, baseTimestamp holding the horizon, record timestamp deltas rebased on
 * it); a cleaning after the horizon drops its tombstones. Records of aborted transactions (per
 * the aborted-transaction indexes, {@link AbortedRanges}) are all removed. A transaction marker
 * (control batch) is kept as long as its transaction still has data in the log (a transactional
 * batch of that producer kept since the producer's previous marker); once none is left it is
 * treated like a tombstone: stamped with a horizon, then dropped after it (Kafka's rule). The
 * cleaned segment gets no aborted-transaction index: the aborted records it would describe are
 * gone, and the cleaner works only below the last stable offset.
 *
 * <p>A batch left with no records disappears, unless it is the last batch an idempotent producer
 * wrote (per the producer state when the cleaning began): then an empty batch with its header
 * stays, so that its producer's epoch and last sequence survive a rebuild of producer state from
 * the log.
 *
 * <p>Not thread-safe: owned by one cleaner thread for one cleaning.
 */
final class CleanerBatchFilter {

    /** Where filtered batches go: room for at least {@code bytes} at the returned buffer's position. */
    @FunctionalInterface
    interface BatchSink {
        ByteBuffer reserve(int bytes) throws IOException;
    }

    private final OffsetMap map;
    private final long nowMs;
    private final long deleteRetentionMs;
    private final Map<Long, Long> lastBatchOffsetByProducer;
    private final AbortedRanges aborted;
    private final Map<Long, Boolean> transactionHasData = new HashMap<>();
    private final RecordCursor cursor = new RecordCursor();
    private boolean[] keep = new boolean[64];
    private ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
    private long nextDeleteHorizonMs = -1;
    long recordsRead;
    long recordsKept;
    long tombstonesRemoved;
    long keylessRemoved;
    long markersRemoved;
    long abortedRemoved;
    long emptyBatchesKept;

    CleanerBatchFilter(OffsetMap map, long nowMs, long deleteRetentionMs, Map<Long, Long> lastBatchOffsetByProducer,
                       AbortedRanges aborted) {
        this.map = map;
        this.aborted = aborted;
        this.nowMs = nowMs;
        this.deleteRetentionMs = deleteRetentionMs;
        this.lastBatchOffsetByProducer = lastBatchOffsetByProducer;
    }

    /** The earliest delete horizon of a kept batch still holding a tombstone or marker, or -1. */
    long nextDeleteHorizonMs() {
        return nextDeleteHorizonMs;
    }

    /**
     * Filters the whole batch {@code batch} points at into {@code sink}.
     *
     * @return true when what was written differs from the batch (or nothing was written)
     */
    boolean filter(RecordBatchHeader batch, BatchSink sink) throws IOException {
        return batch.isControl() ? filterMarker(batch, sink) : filterData(batch, sink);
    }

    private boolean filterMarker(RecordBatchHeader batch, BatchSink sink) throws IOException {
        recordsRead += batch.recordsCount();
        boolean transactionHasDataLeft = Boolean.TRUE.equals(transactionHasData.remove(batch.producerId()));
        if (transactionHasDataLeft || (batch.hasDeleteHorizon() && nowMs < batch.baseTimestamp())) {
            if (!transactionHasDataLeft) {
                noteHorizon(batch.baseTimestamp());
            }
            recordsKept += batch.recordsCount();
            copy(batch, sink);
            return false;
        }
        if (batch.hasDeleteHorizon()) {
            markersRemoved++;
            return true;
        }
        ByteBuffer plain = RecordsCompression.plainRecords(batch.buffer(), batch.position());
        int count = walk(batch, plain, true);
        recordsKept += count;
        long horizon = horizonFromNow();
        noteHorizon(horizon);
        rewrite(batch, plain, count, horizon, batch.maxTimestamp(), true, sink);
        return true;
    }

    private boolean filterData(RecordBatchHeader batch, BatchSink sink) throws IOException {
        ByteBuffer plain = RecordsCompression.plainRecords(batch.buffer(), batch.position());
        boolean horizonSet = batch.hasDeleteHorizon();
        boolean horizonPassed = horizonSet && nowMs >= batch.baseTimestamp();
        boolean abortedBatch = aborted.isAborted(batch);
        int count = 0;
        int kept = 0;
        int tombstonesKept = 0;
        long maxTimestamp = RecordBatchHeader.NO_TIMESTAMP;
        cursor.wrap(plain, plain.position(), plain.limit());
        while (cursor.next()) {
            if (count == keep.length) {
                keep = Arrays.copyOf(keep, count * 2);
            }
            boolean retain = !abortedBatch && retain(batch.baseOffset() + cursor.offsetDelta(), horizonPassed);
            keep[count++] = retain;
            if (retain) {
                kept++;
                tombstonesKept += cursor.valueSize() < 0 ? 1 : 0;
                maxTimestamp = Math.max(maxTimestamp, batch.baseTimestamp() + cursor.timestampDelta());
            }
        }
        checkCount(batch, count);
        recordsRead += count;
        recordsKept += kept;
        abortedRemoved += abortedBatch ? count : 0;
        if (kept > 0 && batch.isTransactional()) {
            transactionHasData.put(batch.producerId(), Boolean.TRUE);
        }
        boolean stampHorizon = tombstonesKept > 0 && !horizonSet;
        if (tombstonesKept > 0) {
            noteHorizon(stampHorizon ? horizonFromNow() : batch.baseTimestamp());
        }
        if (kept == count && !stampHorizon) {
            copy(batch, sink);
            return false;
        }
        if (kept == 0) {
            Long last = lastBatchOffsetByProducer.get(batch.producerId());
            if (batch.hasProducerId() && last != null && last == batch.lastOffset()) {
                RecordBatchWriter.writeEmpty(sink.reserve(RecordBatchWriter.sizeOf(0)), batch);
                emptyBatchesKept++;
            }
            return true;
        }
        long baseTimestamp = stampHorizon ? horizonFromNow() : batch.baseTimestamp();
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            maxTimestamp = batch.maxTimestamp();
        }
        rewrite(batch, plain, kept, baseTimestamp, maxTimestamp, stampHorizon, sink);
        return true;
    }

    private boolean retain(long offset, boolean horizonPassed) {
        if (cursor.keySize() < 0) {
            keylessRemoved++;
            return false;
        }
        long latest = map.get(cursor.buffer(), cursor.keyPosition(), cursor.keySize());
        if (offset < latest) {
            return false;
        }
        if (cursor.valueSize() < 0 && horizonPassed) {
            tombstonesRemoved++;
            return false;
        }
        return true;
    }

    /** Marks every record of the batch kept; returns the count. */
    private int walk(RecordBatchHeader batch, ByteBuffer plain, boolean retain) {
        int count = 0;
        cursor.wrap(plain, plain.position(), plain.limit());
        while (cursor.next()) {
            if (count == keep.length) {
                keep = Arrays.copyOf(keep, count * 2);
            }
            keep[count++] = retain;
        }
        checkCount(batch, count);
        return count;
    }

    private static void checkCount(RecordBatchHeader batch, int count) {
        if (count != batch.recordsCount()) {
            throw new CorruptRecordException("The batch at offset " + batch.baseOffset() + " declares "
                    + batch.recordsCount() + " records but holds " + count);
        }
    }

    /**
     * Writes the records marked in {@link #keep} as a new batch with {@code baseTimestamp}
     * (timestamp deltas rebased when it differs from the batch's), setting the delete horizon
     * attribute when {@code stampHorizon} (baseTimestamp is then the horizon).
     */
    private void rewrite(RecordBatchHeader batch, ByteBuffer plain, int kept, long baseTimestamp, long maxTimestamp,
                         boolean stampHorizon, BatchSink sink) throws IOException {
        long oldBase = batch.baseTimestamp();
        boolean rebase = baseTimestamp != oldBase;
        // A rebased delta takes at most 10 bytes and the length varint one more byte than before.
        int worstCase = plain.remaining() + (rebase ? 11 * kept : 0);
        if (scratch.capacity() < worstCase) {
            scratch = ByteBuffer.allocate(Math.max(worstCase, scratch.capacity() * 2));
        }
        scratch.clear();
        int i = 0;
        cursor.wrap(plain, plain.position(), plain.limit());
        while (cursor.next()) {
            if (keep[i++]) {
                if (rebase) {
                    cursor.copyTo(scratch, oldBase + cursor.timestampDelta() - baseTimestamp);
                } else {
                    cursor.copyTo(scratch);
                }
            }
        }
        scratch.flip();
        ByteBuffer payload = batch.isCompressed() ? RecordsCompression.compress(batch.compression(), scratch) : scratch;
        short attributes = (short) (batch.attributes()
                | (stampHorizon ? RecordBatchHeader.DELETE_HORIZON_MASK : 0));
        RecordBatchWriter.write(sink.reserve(RecordBatchWriter.sizeOf(payload.remaining())), batch, attributes,
                baseTimestamp, maxTimestamp, kept, payload);
    }

    private static void copy(RecordBatchHeader batch, BatchSink sink) throws IOException {
        int size = batch.sizeInBytes();
        ByteBuffer out = sink.reserve(size);
        out.put(out.position(), batch.buffer(), batch.position(), size);
        out.position(out.position() + size);
    }

    /** now + delete.retention.ms, saturating (the config has no upper bound). */
    private long horizonFromNow() {
        long horizon = nowMs + deleteRetentionMs;
        return horizon < nowMs ? Long.MAX_VALUE : horizon;
    }

    private void noteHorizon(long horizonMs) {
        if (nextDeleteHorizonMs < 0 || horizonMs < nextDeleteHorizonMs) {
            nextDeleteHorizonMs = horizonMs;
        }
    }
}
