package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log's leader epochs (KIP-101): the ordered entries (epoch, startOffset), each the first
 * offset written (or, for a new leader, to be written) in that epoch; an epoch ends where the
 * next one starts, the latest at the log end offset. Persisted in the partition directory as
 * {@link LeaderEpochCheckpointFile} whenever it changes (rare: a new epoch, a truncation, the log
 * start moving past an entry), with an fsync each time; a new empty log has no file until its
 * first epoch. A new entry is written before the batches that carry it, so a
 * crash leaves at worst an entry past the recovered log end, which {@link #load} drops.
 *
 * <p>Thread-safety: changed only under the log's append lock (or while the log opens); read from
 * any thread without locking, through a volatile immutable list replaced on each change.
 */
final class LeaderEpochCache {
    private static final Logger log = LoggerFactory.getLogger(LeaderEpochCache.class);

    /** Epoch {@code epoch} starts at offset {@code startOffset}. */
    record Entry(int epoch, long startOffset) {
    }

    private final Path dir;
    private final RecordBatchHeader header = new RecordBatchHeader();
    private volatile List<Entry> entries;
    /** Whether the file exists (changed under the append lock). */
    private boolean fileExists;
    /** The file was created without an fsync ({@link #publish}); {@link #syncIfNeeded} owes one. */
    private volatile boolean unsynced;

    private LeaderEpochCache(Path dir, List<Entry> entries) {
        this.dir = dir;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads the checkpoint of {@code dir}, or rebuilds the entries from the batch headers of
     * {@code segments} when it is missing or damaged; then drops entries at or past
     * {@code logEndOffset} (a recovered torn tail) and clips them to {@code logStartOffset}.
     * Writes the file when that changed anything.
     */
    static LeaderEpochCache load(Path dir, TopicPartition partition, SegmentList segments, long logStartOffset,
                                 long logEndOffset) throws IOException {
        Optional<List<Entry>> stored = LeaderEpochCheckpointFile.read(dir);
        LeaderEpochCache cache = new LeaderEpochCache(dir, stored.orElseGet(List::of));
        cache.fileExists = LeaderEpochCheckpointFile.exists(dir);
        if (stored.isEmpty()) {
            int batches = cache.rebuildFrom(segments);
            log.info("Rebuilt the leader epoch cache of {} from {} batch header(s): {}", partition, batches,
                    cache.entries);
        }
        boolean changed = cache.removeFrom(logEndOffset) | cache.clipBelow(logStartOffset);
        // A brand-new (or emptied) log without a file has nothing to record: no empty file, no fsync.
        boolean nothingToRecord = stored.isEmpty() && cache.entries.isEmpty() && logEndOffset == logStartOffset
                && !cache.fileExists;
        if (changed || stored.isEmpty() && !nothingToRecord) {
            cache.persist();
        }
        return cache;
    }

    private int rebuildFrom(SegmentList segments) throws IOException {
        List<Entry> rebuilt = new ArrayList<>();
        int batches = 0;
        for (LogSegment segment : segments.snapshot()) {
            FileBatchCursor cursor = segment.cursorFrom(segment.baseOffset());
            while (cursor.next() == FileBatchCursor.Step.BATCH) {
                batches++;
                addIfNewer(rebuilt, cursor.header().partitionLeaderEpoch(), cursor.header().baseOffset());
            }
        }
        entries = List.copyOf(rebuilt);
        return batches;
    }

    private static boolean addIfNewer(List<Entry> list, int epoch, long startOffset) {
        if (epoch < 0 || !list.isEmpty() && epoch <= list.getLast().epoch()) {
            return false;
        }
        // An epoch that never got a record (a later one starts at the same offset) is replaced.
        list.removeIf(entry -> entry.startOffset() >= startOffset);
        list.add(new Entry(epoch, startOffset));
        return true;
    }

    /** The entries, oldest first. */
    List<Entry> entries() {
        return entries;
    }

    /** The latest epoch, or -1 when there is none. */
    int latestEpoch() {
        List<Entry> current = entries;
        return current.isEmpty() ? -1 : current.getLast().epoch();
    }

    /**
     * Where {@code epoch} ends (OffsetsForLeaderEpoch, KIP-101/279/320):
     * <ul>
     * <li>no entries, or a negative epoch: {@link EpochEndOffset#UNDEFINED};</li>
     * <li>the latest epoch or above: (latest epoch, {@code logEndOffset}) — Kafka answers
     *     UNDEFINED above its latest epoch, a case it deems unreachable since a leader records
     *     its own epoch first; answering the latest epoch keeps a KIP-320 consumer from
     *     resetting its position;</li>
     * <li>between: (the largest epoch at or below it, the next entry's start offset);</li>
     * <li>below the first entry: (the requested epoch, the first entry's start offset), as
     *     Kafka does (KIP-279): the asker's records of that epoch can reach no further.</li>
     * </ul>
     */
    EpochEndOffset endOffsetFor(int epoch, long logEndOffset) {
        List<Entry> current = entries;
        if (epoch < 0 || current.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (epoch >= current.getLast().epoch()) {
            return new EpochEndOffset(current.getLast().epoch(), logEndOffset);
        }
        int next = 0;
        while (current.get(next).epoch() <= epoch) {
            next++;
        }
        int answered = next == 0 ? epoch : current.get(next - 1).epoch();
        return new EpochEndOffset(answered, current.get(next).startOffset());
    }

    /** A leader's epoch starts at {@code startOffset}; ignored unless newer than the latest. */
    void assign(int epoch, long startOffset) throws IOException {
        List<Entry> next = new ArrayList<>(entries);
        if (addIfNewer(next, epoch, startOffset)) {
            publish(next);
        }
    }

    /**
     * Batches about to be written: each whose partition leader epoch is newer than the latest
     * starts an entry at its base offset (headers read in place). Persists once when any did.
     */
    void onAppend(ByteBuffer batches) throws IOException {
        List<Entry> next = null;
        int latest = latestEpoch();
        for (int p = batches.position(); p < batches.limit(); p += header.sizeInBytes()) {
            header.wrap(batches, p);
            int epoch = header.partitionLeaderEpoch();
            if (epoch > latest) {
                if (next == null) {
                    next = new ArrayList<>(entries);
                }
                addIfNewer(next, epoch, header.baseOffset());
                latest = epoch;
            }
        }
        if (next != null) {
            publish(next);
        }
    }

    /** The log now ends at {@code endOffset}: entries starting at or after it go. */
    void truncateFromEnd(long endOffset) throws IOException {
        if (removeFrom(endOffset)) {
            persist();
        }
    }

    /** The log now starts at {@code startOffset}: entries wholly below it go, the one holding it starts there. */
    void truncateFromStart(long startOffset) throws IOException {
        if (clipBelow(startOffset)) {
            persist();
        }
    }

    /** Forgets every epoch (a log emptied and restarted elsewhere). */
    void clear() throws IOException {
        if (entries.isEmpty() && !fileExists) {
            return; // nothing recorded: nothing to rewrite
        }
        entries = List.of();
        persist();
    }

    private boolean removeFrom(long endOffset) {
        List<Entry> current = entries;
        int keep = current.size();
        while (keep > 0 && current.get(keep - 1).startOffset() >= endOffset) {
            keep--;
        }
        if (keep == current.size()) {
            return false;
        }
        entries = List.copyOf(current.subList(0, keep));
        return true;
    }

    private boolean clipBelow(long startOffset) {
        List<Entry> current = entries;
        int holder = -1;
        while (holder + 1 < current.size() && current.get(holder + 1).startOffset() <= startOffset) {
            holder++;
        }
        if (holder < 0 || holder == 0 && current.get(0).startOffset() == startOffset) {
            return false;
        }
        List<Entry> next = new ArrayList<>(current.size() - holder);
        next.add(new Entry(current.get(holder).epoch(), startOffset));
        next.addAll(current.subList(holder + 1, current.size()));
        entries = List.copyOf(next);
        return true;
    }

    /**
     * Writes {@code next} to the checkpoint, then makes it the cache: an epoch whose write failed
     * (a full disk) is not taken, so the next assignment or append of that epoch records it again.
     */
    private void publish(List<Entry> next) throws IOException {
        List<Entry> copy = List.copyOf(next);
        if (fileExists) {
            persist(copy);
        } else {
            // The first entry of a log without a file (a new log's first leader epoch): written
            // without an fsync, off the path that creates logs, and fsynced by "log-flusher" soon
            // after (syncIfNeeded). Safe because an OS crash before that fsync leaves no file or an
            // empty or partial one, and loading rebuilds a missing or damaged file from the batch
            // headers; an existing file is only ever replaced with an fsync.
            LeaderEpochCheckpointFile.write(dir, copy, false);
            fileExists = true;
            unsynced = true;
        }
        entries = copy;
    }

    private void persist() throws IOException {
        persist(entries);
    }

    private void persist(List<Entry> list) throws IOException {
        LeaderEpochCheckpointFile.write(dir, list, true);
        fileExists = true;
        unsynced = false;
    }

    /** fsyncs the file if {@link #publish} created it without one; any thread. */
    void syncIfNeeded() throws IOException {
        if (!unsynced) {
            return;
        }
        try {
            AtomicFiles.fsync(dir.resolve(LeaderEpochCheckpointFile.FILE_NAME));
        } catch (java.nio.file.NoSuchFileException e) {
            // deleted with its log meanwhile
        }
        unsynced = false;
    }

    @Override
    public String toString() {
        return "LeaderEpochCache" + entries;
    }
}
