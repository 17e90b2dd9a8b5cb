package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one log's {@link ProducerStateTable} durable: writes {@code <offset>.snapshot} files
 * (see {@link ProducerStateSnapshotFile}) and rebuilds the table on open or after truncation
 * from the newest usable snapshot plus a replay of the batch headers after it. Keeps the
 * newest {@value #SNAPSHOTS_KEPT} snapshots.
 *
 * <p>Not thread-safe: used under the log's append lock (or while the log is being opened).
 */
final class ProducerStateManager {
    private static final Logger log = LoggerFactory.getLogger(ProducerStateManager.class);
    static final int SNAPSHOTS_KEPT = 2;

    private final Path dir;
    private final TopicPartition partition;
    private final ProducerStateTable table = new ProducerStateTable();

    ProducerStateManager(Path dir, TopicPartition partition) {
        this.dir = dir;
        this.partition = partition;
    }

    ProducerStateTable table() {
        return table;
    }

    /**
     * Rebuilds the table for a log ending at {@code logEndOffset}: snapshots above it are
     * deleted (they describe batches no longer in the log), the newest intact one is loaded,
     * and every batch from its offset to the end is replayed. Without a usable snapshot the
     * whole log is replayed. The aborted-transaction indexes are rebuilt along: entries from the
     * replay's start are cut and written again from the ABORT markers replayed.
     */
    void load(SegmentList segments, long logEndOffset) throws IOException {
        table.clear();
        TreeSet<Long> offsets = ProducerStateSnapshotFile.list(dir);
        for (Long offset : offsets.tailSet(logEndOffset, false)) {
            Files.deleteIfExists(SegmentFiles.snapshotFile(dir, offset));
            log.info("Discarded the producer-state snapshot at offset {} of {}: the log now ends at {}",
                    offset, partition, logEndOffset);
        }
        long replayFrom = -1;
        for (Long offset : offsets.headSet(logEndOffset, true).descendingSet()) {
            Path file = SegmentFiles.snapshotFile(dir, offset);
            Optional<List<ProducerEntry>> entries = ProducerStateSnapshotFile.read(file);
            if (entries.isPresent()) {
                entries.get().forEach(table::put);
                replayFrom = offset;
                break;
            }
            log.warn("Producer-state snapshot {} of {} is damaged; deleting it and using an older one",
                    file.getFileName(), partition);
            Files.deleteIfExists(file);
        }
        LogSegment first = segments.first();
        if (first == null) {
            return;
        }
        if (replayFrom < 0) {
            replayFrom = first.baseOffset();
        }
        int replayed = 0;
        for (LogSegment segment : segments.from(replayFrom)) {
            segment.txnIndex().truncateTo(replayFrom);
            FileBatchCursor cursor = segment.cursorFrom(replayFrom);
            while (cursor.next() == FileBatchCursor.Step.BATCH) {
                RecordBatchHeader header = cursor.header();
                if (header.baseOffset() >= replayFrom && header.hasProducerId()) {
                    replay(header.isControl() ? cursor.loadWholeBatch() : header, segment);
                    replayed++;
                }
            }
        }
        log.debug("Loaded {} producers of {} (snapshot at {}, {} batches replayed)", table.size(), partition,
                replayFrom, replayed);
    }

    /**
     * Applies a batch written to {@code segment} ({@link ProducerStateTable#replay}); an aborted
     * transaction it ends goes into the segment's aborted-transaction index.
     */
    void replay(RecordBatchHeader batch, LogSegment segment) throws IOException {
        ProducerStateTable.CompletedTransaction ended = table.replay(batch);
        if (ended != null && ended.aborted()) {
            segment.txnIndex().append(new AbortedTransaction(ended.producerId(), ended.firstOffset(),
                    ended.lastOffset(), table.lastStableOffsetAfter(ended)));
        }
    }

    /** Forgets every producer and deletes every snapshot (the log was emptied and restarted). */
    void clear() throws IOException {
        table.clear();
        for (Long offset : ProducerStateSnapshotFile.list(dir)) {
            Files.deleteIfExists(SegmentFiles.snapshotFile(dir, offset));
        }
    }

    /** Writes the current table as the snapshot at {@code offset} and prunes old snapshots. */
    void takeSnapshot(long offset) throws IOException {
        ProducerStateSnapshotFile.write(SegmentFiles.snapshotFile(dir, offset), table.entries());
        TreeSet<Long> offsets = ProducerStateSnapshotFile.list(dir);
        while (offsets.size() > SNAPSHOTS_KEPT) {
            Files.deleteIfExists(SegmentFiles.snapshotFile(dir, offsets.pollFirst()));
        }
    }

    /** The newest snapshot's offset, or -1. */
    long latestSnapshotOffset() throws IOException {
        TreeSet<Long> offsets = ProducerStateSnapshotFile.list(dir);
        return offsets.isEmpty() ? -1 : offsets.last();
    }
}
