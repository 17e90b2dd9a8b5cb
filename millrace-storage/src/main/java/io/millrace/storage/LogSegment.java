package io.millrace.storage;

import io.millrace.wire.batch.FileRegion;
import io.millrace.wire.batch.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One segment of a partition log: the {@code <baseOffset>.log} file of record batches, stored
 * exactly as received (v2 format, offsets assigned), with its {@link OffsetIndex} and
 * {@link TimeIndex}, and its aborted-transaction index ({@link TransactionIndex}, a file only once
 * a transaction aborts in it). The log file has no header; it is batches back to back.
 *
 * <p>Thread-safety: appends, truncation and index rebuilding come from one thread at a time
 * (the owning log's append lock). Reads may run concurrently with all of them: they read
 * {@link #size()} once and never look past it, and an append publishes the new size only
 * after its bytes and index entries are written. A read racing with {@link #close()} fails
 * with a {@link java.nio.channels.ClosedChannelException} that the log turns into a retry.
 *
 * <p>The cleaner writes new segments under temporary names ({@link #createCleaned}) and swaps
 * them in by renaming files ({@link #renameFiles}, see {@link SegmentSwap}); a replaced segment
 * keeps its open channel and mappings, under {@code *.deleted} names, until it is deleted.
 */
final class LogSegment {

    /** The largest batch timestamp seen and the base offset of the first batch that had it. */
    record TimestampAndOffset(long timestamp, long offset) {
    }

    /** Bytes read at a time past the last useful index entry: one default index interval of small batches' headers. */
    private static final int TAIL_SCAN_BLOCK_BYTES = 4096 + RecordBatchHeader.HEADER_SIZE;

    private final Path dir;
    private final long baseOffset;
    private final FileChannel channel;
    /** The log file's path; it moves when the cleaner swaps segments ({@link #renameFiles}). */
    private volatile Path logFile;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private final RecordBatchHeader writerHeader = new RecordBatchHeader();
    private volatile int size;
    private volatile TimestampAndOffset largest;
    private int bytesSinceLastIndexEntry;
    /** The first batch's maxTimestamp, from which segment.ms is counted; -2 until looked up. */
    private long rollBaseTimestamp = -2;
    /** The same for a sealed segment, as the cleaner reads it (max.compaction.lag.ms); -2 until looked up. */
    private volatile long firstBatchTimestamp = -2;

    private LogSegment(Path dir, long baseOffset, Path logFile, FileChannel channel, OffsetIndex offsetIndex,
                       TimeIndex timeIndex, TransactionIndex txnIndex, int indexIntervalBytes, long createdMs,
                       int size) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.logFile = logFile;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.size = size;
        this.largest = new TimestampAndOffset(timeIndex.lastTimestamp(), timeIndex.lastOffset());
    }

    /** Creates an empty segment, replacing any stale files of the same base offset. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        return create(dir, baseOffset, config, nowMs, "", config.preallocate());
    }

    /**
     * Creates the empty segment the cleaner writes a cleaned group of segments into: its files
     * carry {@link SegmentFiles#CLEANED_SUFFIX} until {@link SegmentSwap} renames them.
     */
    static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        return create(dir, baseOffset, config, nowMs, SegmentFiles.CLEANED_SUFFIX, false);
    }

    private static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs, String suffix,
                                     boolean preallocate) throws IOException {
        Path log = withSuffix(SegmentFiles.logFile(dir, baseOffset), suffix);
        Path index = withSuffix(SegmentFiles.indexFile(dir, baseOffset), suffix);
        Path timeIndex = withSuffix(SegmentFiles.timeIndexFile(dir, baseOffset), suffix);
        Files.deleteIfExists(log);
        Files.deleteIfExists(index);
        Files.deleteIfExists(timeIndex);
        FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (preallocate) {
            channel.write(ByteBuffer.allocate(1), config.segmentBytes() - 1L);
        }
        return new LogSegment(dir, baseOffset, log, channel,
                OffsetIndex.open(index, baseOffset, config.segmentIndexBytes()),
                TimeIndex.open(timeIndex, baseOffset, config.segmentIndexBytes()),
                TransactionIndex.create(withSuffix(SegmentFiles.txnIndexFile(dir, baseOffset), suffix)),
                config.indexIntervalBytes(), nowMs, 0);
    }

    private static Path withSuffix(Path file, String suffix) {
        return suffix.isEmpty() ? file : file.resolveSibling(file.getFileName() + suffix);
    }

    /**
     * Opens an existing segment with its indexes as they are on disk (missing ones are created
     * empty: callers check {@link #indexFilesExist} first and rebuild).
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        FileChannel channel = FileChannel.open(SegmentFiles.logFile(dir, baseOffset), StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new LogSegment(dir, baseOffset, SegmentFiles.logFile(dir, baseOffset), channel,
                    OffsetIndex.open(SegmentFiles.indexFile(dir, baseOffset), baseOffset, 0),
                    TimeIndex.open(SegmentFiles.timeIndexFile(dir, baseOffset), baseOffset, 0),
                    TransactionIndex.open(SegmentFiles.txnIndexFile(dir, baseOffset)),
                    config.indexIntervalBytes(), nowMs, (int) Math.min(Integer.MAX_VALUE, channel.size()));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static boolean indexFilesExist(Path dir, long baseOffset) {
        return Files.exists(SegmentFiles.indexFile(dir, baseOffset))
                && Files.exists(SegmentFiles.timeIndexFile(dir, baseOffset));
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes of batches in the log file. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    FileChannel channel() {
        return channel;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    Path logFile() {
        return logFile;
    }

    /** The aborted transactions whose ABORT marker is in this segment. */
    TransactionIndex txnIndex() {
        return txnIndex;
    }

    /**
     * Renames the segment's files (log, indexes, transaction index if any) to their usual names plus {@code suffix} ("" for the
     * usual names); open channels and mappings keep working (POSIX rename). The log file moves
     * last. Under the log's append lock, or before the segment is published.
     */
    void renameFiles(String suffix) throws IOException {
        offsetIndex.file().moveTo(withSuffix(SegmentFiles.indexFile(dir, baseOffset), suffix));
        timeIndex.file().moveTo(withSuffix(SegmentFiles.timeIndexFile(dir, baseOffset), suffix));
        txnIndex.moveTo(withSuffix(SegmentFiles.txnIndexFile(dir, baseOffset), suffix));
        Path target = withSuffix(SegmentFiles.logFile(dir, baseOffset), suffix);
        Files.move(logFile, target, StandardCopyOption.ATOMIC_MOVE);
        logFile = target;
    }

    /**
     * The first batch's max timestamp, or -1 when there is none; read once from the file. For
     * sealed segments (their first batch never changes), from any thread.
     */
    long firstBatchTimestamp() throws IOException {
        long cached = firstBatchTimestamp;
        if (cached == -2) {
            FileBatchCursor cursor = new FileBatchCursor(channel, 0, size, RecordBatchHeader.HEADER_SIZE);
            cached = cursor.next() == FileBatchCursor.Step.BATCH ? cursor.header().maxTimestamp() : -1;
            firstBatchTimestamp = cached;
        }
        return cached;
    }

    TimestampAndOffset largestTimestamp() {
        return largest;
    }

    /** For retention: the largest batch timestamp, or the file's modification time if none. */
    long retentionTimestamp() throws IOException {
        long timestamp = largest.timestamp();
        return timestamp >= 0 ? timestamp : Files.getLastModifiedTime(logFile()).toMillis();
    }

    /**
     * True when an append of {@code bytes} bytes, with offsets {@code firstOffset} to
     * {@code lastOffset} and largest timestamp {@code maxTimestamp}, must go to a new segment:
     * it would push the segment past segment.bytes, the segment's records span more than
     * {@code segmentMs} (segment.ms, or less for compacted logs), an index is full, or an offset
     * would not fit the indexes' 32-bit relative offsets.
     */
    boolean shouldRoll(LogConfig config, long segmentMs, int bytes, long firstOffset, long lastOffset,
                       long maxTimestamp, long nowMs) throws IOException {
        if (firstOffset < baseOffset || lastOffset - baseOffset > Integer.MAX_VALUE) {
            return true; // only a follower's offsets can jump like this; even an empty segment must go
        }
        if (size == 0) {
            return false;
        }
        return size > config.segmentBytes() - bytes
                || timeWaitedForRoll(nowMs, maxTimestamp) > segmentMs
                || offsetIndex.isFull() || timeIndex.isFull();
    }

    /**
     * How long this segment has been open for segment.ms: from the first batch's timestamp to
     * the incoming one (like Kafka, so replaying old data does not roll on every append), or
     * by the wall clock since creation when the first batch has no timestamp.
     */
    private long timeWaitedForRoll(long nowMs, long incomingTimestamp) throws IOException {
        if (rollBaseTimestamp == -2) {
            FileBatchCursor cursor = new FileBatchCursor(channel, 0, size, RecordBatchHeader.HEADER_SIZE);
            rollBaseTimestamp = cursor.next() == FileBatchCursor.Step.BATCH ? cursor.header().maxTimestamp() : -1;
        }
        return rollBaseTimestamp >= 0 && incomingTimestamp >= 0
                ? incomingTimestamp - rollBaseTimestamp
                : nowMs - createdMs;
    }

    /** Appends batches whose headers are final (offsets assigned, CRCs valid). */
    void append(ByteBuffer batches) throws IOException {
        int start = size;
        int bytes = batches.remaining();
        ByteBuffer source = batches.duplicate();
        long filePosition = start;
        while (source.hasRemaining()) {
            filePosition += channel.write(source, filePosition);
        }
        int p = batches.position();
        while (p < batches.limit()) {
            writerHeader.wrap(batches, p);
            if (start == 0 && p == batches.position()) {
                rollBaseTimestamp = writerHeader.maxTimestamp();
            }
            onBatchWritten(start + (p - batches.position()), writerHeader.baseOffset(), writerHeader.sizeInBytes(),
                    writerHeader.maxTimestamp());
            p += writerHeader.sizeInBytes();
        }
        size = start + bytes;
    }

    /**
     * Updates the largest timestamp and the indexes for a batch now in the file at
     * {@code position}. Appends and index rebuilding both come through here.
     */
    void onBatchWritten(int position, long batchBaseOffset, int batchSize, long maxTimestamp) {
        if (maxTimestamp > largest.timestamp()) {
            largest = new TimestampAndOffset(maxTimestamp, batchBaseOffset);
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batchBaseOffset, position);
            TimestampAndOffset l = largest;
            timeIndex.maybeAppend(l.timestamp(), l.offset());
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /** Forgets the indexes and the largest timestamp before they are rebuilt by a scan. */
    void resetIndexes() {
        offsetIndex.reset();
        timeIndex.reset();
        largest = new TimestampAndOffset(-1, baseOffset);
        bytesSinceLastIndexEntry = 0;
        rollBaseTimestamp = -2;
    }

    /** Cuts the log file at {@code position} (recovery and truncation; indexes are rebuilt after). */
    void truncateFileTo(int position) throws IOException {
        channel.truncate(position);
        size = position;
    }

    /** Sets the size to the file's length once a scan has vouched for every byte. */
    void setSize(int newSize) {
        size = newSize;
    }

    /**
     * The batches from the one containing {@code offset}: whole batches totalling at most
     * {@code maxBytes} (the first batch even if larger, when {@code minOneBatch}), none starting
     * at or after {@code maxOffsetExclusive}. Null when no batch here reaches {@code offset};
     * an empty buffer when one does but none may be returned.
     */
    ByteBuffer read(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) throws IOException {
        int end = size;
        int from = offsetIndex.lookupPosition(offset);
        if (from >= end) {
            from = 0;
        }
        FileBatchCursor cursor = new FileBatchCursor(channel, from, end, 8 * 1024);
        while (cursor.next() == FileBatchCursor.Step.BATCH) {
            RecordBatchHeader header = cursor.header();
            if (header.lastOffset() < offset) {
                continue;
            }
            if (header.baseOffset() >= maxOffsetExclusive) {
                return ByteBuffer.allocate(0);
            }
            int firstSize = header.sizeInBytes();
            long start = cursor.position();
            int want = (int) Math.min(Math.max(maxBytes, 0), end - start);
            if (want < firstSize) {
                if (!minOneBatch) {
                    return ByteBuffer.allocate(0);
                }
                want = firstSize;
            }
            ByteBuffer chunk = ByteBuffer.allocate(want);
            readFully(chunk, start);
            chunk.flip();
            chunk.limit(wholeBatchesBelow(chunk, maxOffsetExclusive));
            return chunk;
        }
        return null;
    }

    /**
     * As {@link #read}, but the batches stay in the file: a region of this segment's channel for
     * a zero-copy send. Reads only batch headers, and few of them: the region's end is found
     * from the offset index (the last indexed batch that starts below {@code maxOffsetExclusive}
     * and ends within the byte limit), then by stepping over the headers of at most about one
     * index interval. The caller must not let the region outlive the channel (see
     * {@link PartitionLog#readFileRegion}).
     */
    FileRegion readRegion(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) throws IOException {
        int end = size;
        int from = offsetIndex.lookupPosition(offset);
        if (from >= end) {
            from = 0;
        }
        FileBatchCursor cursor = new FileBatchCursor(channel, from, end, 1024);
        while (cursor.next() == FileBatchCursor.Step.BATCH) {
            RecordBatchHeader header = cursor.header();
            if (header.lastOffset() < offset) {
                continue;
            }
            long start = cursor.position();
            if (header.baseOffset() >= maxOffsetExclusive) {
                return new FileRegion(channel, start, 0);
            }
            long budget = Math.max(maxBytes, 0);
            long taken = header.sizeInBytes();
            if (taken > budget) {
                return new FileRegion(channel, start, minOneBatch ? (int) taken : 0);
            }
            long cut = Math.min(end, start + budget);
            long regionEnd = Math.max(start + taken, offsetIndex.lastPositionBelow(maxOffsetExclusive, cut));
            return new FileRegion(channel, start, (int) (wholeBatchesEnd(regionEnd, end, cut, maxOffsetExclusive) - start));
        }
        return null;
    }

    /**
     * From {@code position}, a batch boundary, the end of the batches that start below
     * {@code maxOffsetExclusive} and end at or before {@code cut}.
     */
    private long wholeBatchesEnd(long position, int end, long cut, long maxOffsetExclusive) throws IOException {
        long regionEnd = position;
        FileBatchCursor headers = new FileBatchCursor(channel, position, end, TAIL_SCAN_BLOCK_BYTES);
        while (headers.next() == FileBatchCursor.Step.BATCH) {
            RecordBatchHeader next = headers.header();
            long nextEnd = headers.position() + next.sizeInBytes();
            if (next.baseOffset() >= maxOffsetExclusive || nextEnd > cut) {
                break;
            }
            regionEnd = nextEnd;
        }
        return regionEnd;
    }

    /** The end of the last whole batch in {@code chunk} that starts below {@code maxOffsetExclusive}. */
    private static int wholeBatchesBelow(ByteBuffer chunk, long maxOffsetExclusive) {
        int p = 0;
        int limit = chunk.limit();
        while (p + RecordBatchHeader.LOG_OVERHEAD <= limit) {
            int batchSize = RecordBatchHeader.LOG_OVERHEAD + chunk.getInt(p + RecordBatchHeader.BATCH_LENGTH_OFFSET);
            if (p + batchSize > limit || chunk.getLong(p + RecordBatchHeader.BASE_OFFSET_OFFSET) >= maxOffsetExclusive) {
                break;
            }
            p += batchSize;
        }
        return p;
    }

    void readFully(ByteBuffer destination, long position) throws IOException {
        long at = position;
        while (destination.hasRemaining()) {
            int n = channel.read(destination, at);
            if (n < 0) {
                throw new java.io.EOFException("Segment " + logFile() + " ended at " + at);
            }
            at += n;
        }
    }

    /** A cursor positioned before the batch containing {@code offset} (or the next one). */
    FileBatchCursor cursorFrom(long offset) {
        return cursorFrom(offset, FileBatchCursor.DEFAULT_BLOCK_SIZE);
    }

    /** As {@link #cursorFrom(long)}, reading {@code blockSize} bytes at a time. */
    FileBatchCursor cursorFrom(long offset, int blockSize) {
        int end = size;
        int from = offsetIndex.lookupPosition(offset);
        return new FileBatchCursor(channel, from >= end ? 0 : from, end, blockSize);
    }

    /** The offset after the last batch, or the base offset when empty (a scan from the last index entry). */
    long nextOffset() throws IOException {
        long next = baseOffset;
        FileBatchCursor cursor = new FileBatchCursor(channel, Math.min(offsetIndex.lastPosition(), size), size);
        while (cursor.next() == FileBatchCursor.Step.BATCH) {
            next = cursor.header().nextOffset();
        }
        return next;
    }

    /**
     * Removes every batch from the first one holding an offset at or above {@code offset};
     * the caller rebuilds the indexes. Returns the bytes removed.
     */
    int truncateTo(long offset) throws IOException {
        FileBatchCursor cursor = new FileBatchCursor(channel, 0, size);
        while (cursor.next() == FileBatchCursor.Step.BATCH) {
            if (cursor.header().lastOffset() >= offset) {
                int removed = size - (int) cursor.position();
                truncateFileTo((int) cursor.position());
                txnIndex.truncateTo(offset);
                return removed;
            }
        }
        return 0;
    }

    /** Resizes both index files to hold {@code maxBytes} (when this segment becomes active). */
    void resizeIndexes(int maxBytes) throws IOException {
        offsetIndex.file().resize(maxBytes);
        timeIndex.file().resize(maxBytes);
    }

    /**
     * Makes the segment read-only-ready: records the final time-index entry, trims the indexes
     * and a preallocated log file to their contents, and fsyncs everything.
     */
    void seal() throws IOException {
        TimestampAndOffset l = largest;
        timeIndex.maybeAppendFinal(l.timestamp(), l.offset());
        offsetIndex.file().trim();
        timeIndex.file().trim();
        if (channel.size() > size) {
            channel.truncate(size);
        }
        flush();
    }

    void flush() throws IOException {
        channel.force(true);
        offsetIndex.file().flush();
        timeIndex.file().flush();
        txnIndex.flush();
    }

    void close() throws IOException {
        channel.close();
        txnIndex.close();
    }

    /** Closes and deletes the segment's files (wherever {@link #renameFiles} last put them). */
    void deleteFiles() throws IOException {
        close();
        Files.deleteIfExists(logFile);
        offsetIndex.file().deleteFile();
        timeIndex.file().deleteFile();
        txnIndex.deleteFile();
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile().getFileName() + ", " + size + " bytes)";
    }
}
