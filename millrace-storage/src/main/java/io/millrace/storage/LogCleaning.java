package io.millrace.storage;

import io.millrace.common.Time;
import io.millrace.wire.batch.RecordBatchHeader;
import io.millrace.wire.batch.RecordCursor;
import io.millrace.wire.batch.RecordsCompression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One cleaning of one compacted log, in two passes over its segments, on a cleaner thread.
 *
 * <p>Pass 1 maps each key in the dirty part ({@link CleanablePlan}) to its latest offset in the
 * {@link OffsetMap} (records of aborted transactions, per the segments' aborted-transaction
 * indexes, {@link AbortedRanges}, are skipped: they supersede nothing), batch by batch, stopping before a batch whose records might not fit: the
 * mapped part ends there ({@code mapEnd}) and the rest stays dirty for the next cleaning. Pass 2
 * rewrites every segment from the log start up to {@code mapEnd} (clean segments too: their
 * records may be superseded by newer dirty ones, and tombstones expire) in runs
 * ({@link SegmentGroups}), each run into one new segment through {@link CleanerBatchFilter}, and
 * swaps each new segment in ({@link SegmentSwap}) under the log's append lock for a moment; a
 * run that would come out byte for byte the same is left alone. Finally the cleaner checkpoint
 * moves to {@code mapEnd}.
 *
 * <p>Segments below the active one never change except by being deleted (retention,
 * DeleteRecords) or by a follower's truncation, so both passes read them without a lock. If one
 * of those happens meanwhile, the swap sees that its old segments are no longer the log's and
 * the cleaning is abandoned (its work is redone next time); a read of a deleted segment fails
 * with a closed channel and abandons it too.
 *
 * <p>Not thread-safe: one instance per cleaning, on one thread.
 */
final class LogCleaning {

    /** What a cleaning did. */
    record Result(boolean completed, int segmentsRewritten, int segmentsAfter, long bytesBefore, long bytesAfter,
                  long firstOffset, long mapEnd, CleanerBatchFilter filter) {
    }

    /** The cleaning was abandoned because the log changed under it or is closing. */
    static final class Abandoned extends Exception {
        Abandoned(String why) {
            super(why, null, false, false);
        }
    }

    private final PartitionLog log;
    private final List<LogSegment> segments;
    private final CleanablePlan plan;
    private final OffsetMap map;
    private final CleanerThrottle throttle;
    private final Time time;
    private final PendingSegmentDeletions deletions;
    private final int ioBufferBytes;
    private final BooleanSupplier stopping;
    private final RecordCursor cursor = new RecordCursor();
    private ByteBuffer writeBuffer;
    private LogSegment writing;
    private AbortedRanges aborted;

    LogCleaning(PartitionLog log, List<LogSegment> segments, CleanablePlan plan, OffsetMap map,
                CleanerThrottle throttle, Time time, PendingSegmentDeletions deletions, int ioBufferBytes,
                BooleanSupplier stopping) {
        this.log = log;
        this.segments = segments;
        this.plan = plan;
        this.map = map;
        this.throttle = throttle;
        this.time = time;
        this.deletions = deletions;
        this.ioBufferBytes = ioBufferBytes;
        this.stopping = stopping;
    }

    Result run() throws IOException, Abandoned {
        long truncations = log.cleanerHooks().truncations();
        LogConfig config = log.config();
        map.clear();
        aborted = AbortedRanges.of(segments);
        long mapEnd = buildOffsetMap();
        CleanerBatchFilter filter = new CleanerBatchFilter(map, time.milliseconds(), config.deleteRetentionMs(),
                log.cleanerHooks().lastBatchOffsetByProducer(), aborted);
        List<LogSegment> toClean = new ArrayList<>();
        for (int i = 0; i < segments.size() - 1 && segments.get(i).baseOffset() < mapEnd; i++) {
            toClean.add(segments.get(i));
        }
        if (toClean.isEmpty()) {
            return new Result(false, 0, 0, 0, 0, plan.firstDirtyOffset(), mapEnd, filter);
        }
        long nextAfter = segments.get(toClean.size()).baseOffset();
        writeBuffer = ByteBuffer.allocate(ioBufferBytes);
        long bytesBefore = 0;
        long bytesAfter = 0;
        int segmentsAfter = 0;
        for (List<LogSegment> group : SegmentGroups.of(toClean, nextAfter, config)) {
            long groupBytes = 0;
            for (LogSegment segment : group) {
                groupBytes += segment.size();
            }
            bytesBefore += groupBytes;
            LogSegment cleaned = cleanGroup(group, filter, config);
            bytesAfter += cleaned == null ? groupBytes : cleaned.size();
            segmentsAfter++;
        }
        log.cleanerHooks().commitCheckpoint(new CleanerCheckpoint.State(mapEnd, filter.nextDeleteHorizonMs()), truncations);
        deletions.runDue(time.milliseconds());
        return new Result(true, toClean.size(), segmentsAfter, bytesBefore, bytesAfter, toClean.get(0).baseOffset(),
                mapEnd, filter);
    }

    /** Pass 1: returns the offset the map covers up to (exclusive). */
    private long buildOffsetMap() throws IOException, Abandoned {
        long firstDirty = plan.firstDirtyOffset();
        long firstUncleanable = plan.firstUncleanableOffset();
        long mapEnd = firstDirty;
        for (int i = 0; i < segments.size() - 1; i++) {
            LogSegment segment = segments.get(i);
            long next = segments.get(i + 1).baseOffset();
            if (next <= firstDirty) {
                continue;
            }
            if (segment.baseOffset() >= firstUncleanable) {
                break;
            }
            FileBatchCursor batches = segment.cursorFrom(firstDirty, readBlockBytes());
            while (batches.next() == FileBatchCursor.Step.BATCH) {
                RecordBatchHeader header = batches.header();
                if (header.lastOffset() < firstDirty) {
                    continue;
                }
                // Aborted records supersede nothing: mapping their keys would drop committed ones.
                if (!header.isControl() && !aborted.isAborted(header)) {
                    if (map.wouldOverflow(header.recordsCount())) {
                        if (map.size() == 0) {
                            throw new IllegalStateException("The cleaner's dedupe buffer holds at most "
                                    + map.maxEntries() + " keys, too few for the " + header.recordsCount()
                                    + "-record batch at offset " + header.baseOffset() + " of " + log.topicPartition()
                                    + "; raise log.cleaner.dedupe.buffer.size");
                        }
                        return mapEnd;
                    }
                    mapBatch(batches.loadWholeBatch(), firstDirty);
                }
                mapEnd = header.nextOffset();
                checkStopping();
            }
            mapEnd = Math.max(mapEnd, next);
        }
        return Math.max(mapEnd, Math.min(firstUncleanable, segments.get(segments.size() - 1).baseOffset()));
    }

    private void mapBatch(RecordBatchHeader batch, long firstDirty) {
        throttle.acquire(batch.sizeInBytes(), stopping);
        ByteBuffer plain = RecordsCompression.plainRecords(batch.buffer(), batch.position());
        long base = batch.baseOffset();
        cursor.wrap(plain, plain.position(), plain.limit());
        while (cursor.next()) {
            long offset = base + cursor.offsetDelta();
            if (cursor.keySize() >= 0 && offset >= firstDirty) {
                map.put(plain, cursor.keyPosition(), cursor.keySize(), offset);
            }
        }
    }

    /** Pass 2 for one run: the segment swapped in, or null when the run was left as it was. */
    private LogSegment cleanGroup(List<LogSegment> group, CleanerBatchFilter filter, LogConfig config)
            throws IOException, Abandoned {
        LogSegment cleaned = LogSegment.createCleaned(log.dir(), group.get(0).baseOffset(), config,
                time.milliseconds());
        writing = cleaned;
        boolean keepFiles = false;
        try {
            boolean changed = group.size() > 1;
            for (LogSegment segment : group) {
                FileBatchCursor batches = new FileBatchCursor(segment.channel(), 0, segment.size(), readBlockBytes());
                while (batches.next() == FileBatchCursor.Step.BATCH) {
                    RecordBatchHeader batch = batches.loadWholeBatch();
                    throttle.acquire(batch.sizeInBytes(), stopping);
                    changed |= filter.filter(batch, this::reserve);
                    checkStopping();
                }
            }
            flushWrites();
            if (!changed) {
                return null;
            }
            cleaned.seal();
            SegmentSwap.prepare(cleaned, log.dir());
            // From here a failure inside the swap leaves the files to recovery at the next start.
            keepFiles = true;
            if (!log.cleanerHooks().replaceSegments(group, cleaned, deletions)) {
                keepFiles = false;
                throw new Abandoned("its segments changed during the cleaning");
            }
            return cleaned;
        } finally {
            writing = null;
            if (!keepFiles) {
                SegmentSwap.discard(cleaned);
            }
        }
    }

    private int readBlockBytes() {
        return ioBufferBytes;
    }

    /** Room for {@code bytes} in the write buffer, writing out what it holds first when needed. */
    private ByteBuffer reserve(int bytes) throws IOException {
        if (writeBuffer.remaining() < bytes) {
            flushWrites();
            if (writeBuffer.capacity() < bytes) {
                writeBuffer = ByteBuffer.allocate(bytes);
            }
        }
        return writeBuffer;
    }

    private void flushWrites() throws IOException {
        if (writeBuffer.position() == 0) {
            return;
        }
        writeBuffer.flip();
        throttle.acquire(writeBuffer.remaining(), stopping);
        writing.append(writeBuffer);
        writeBuffer.clear();
    }

    private void checkStopping() throws Abandoned {
        if (stopping.getAsBoolean() || log.isClosed()) {
            throw new Abandoned("the cleaner is stopping or the log closed");
        }
    }

    /** For logs: how the records fared, in operator words. */
    static String describe(Result result) {
        CleanerBatchFilter f = result.filter();
        return f.recordsKept + " of " + f.recordsRead + " records kept, " + f.tombstonesRemoved
                + " tombstone(s) and " + f.markersRemoved + " transaction marker(s) removed"
                + (f.keylessRemoved > 0 ? ", " + f.keylessRemoved + " keyless record(s) removed" : "")
                + (f.abortedRemoved > 0 ? ", " + f.abortedRemoved + " record(s) of aborted transactions removed" : "");
    }
}
