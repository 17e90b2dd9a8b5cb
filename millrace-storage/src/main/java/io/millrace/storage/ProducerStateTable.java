package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotent producers of one partition, by producer id. State changes only through
 * {@link #replay}, which applies a batch that is in the log: the leader after writing, the
 * follower after copying, and recovery when scanning the log after the last snapshot all take
 * this same path. Checking a new batch against the state is {@link ProducerSequenceCheck}'s job.
 *
 * <p>Not thread-safe: guarded by the owning log's append lock.
 */
final class ProducerStateTable {
    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    ProducerEntry get(long producerId) {
        return producers.get(producerId);
    }

    /** Applies a batch that is now in the log (its header carries the assigned offsets). */
    void replay(RecordBatchHeader batch) {
        long producerId = batch.producerId();
        if (producerId == RecordBatchHeader.NO_PRODUCER_ID) {
            return;
        }
        short epoch = batch.producerEpoch();
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(id, epoch));
        if (batch.isControl()) {
            entry.bumpEpoch(epoch);
            return;
        }
        entry.addBatch(epoch, new ProducerBatch(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
                batch.lastOffset(), batch.maxTimestamp()));
    }

    /** Adds an entry read from a snapshot. */
    void put(ProducerEntry entry) {
        producers.put(entry.producerId(), entry);
    }

    Collection<ProducerEntry> entries() {
        return List.copyOf(producers.values());
    }

    /** For each producer, the last offset of the last batch it wrote here. */
    Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> last = new HashMap<>();
        for (ProducerEntry entry : producers.values()) {
            List<ProducerBatch> batches = entry.batches();
            if (!batches.isEmpty()) {
                last.put(entry.producerId(), batches.get(batches.size() - 1).lastOffset());
            }
        }
        return last;
    }

    int size() {
        return producers.size();
    }

    void clear() {
        producers.clear();
    }
}
