package io.millrace.storage;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What one partition knows of one idempotent producer: its current epoch, its last
 * {@value #MAX_CACHED_BATCHES} batches (the most a producer has in flight), newest last, and for a
 * transactional producer the first offset of its ongoing transaction here and the coordinator
 * epoch of its last marker.
 *
 * <p>Not thread-safe: owned by a {@link ProducerStateTable}.
 */
final class ProducerEntry {
    static final int MAX_CACHED_BATCHES = 5;

    private final long producerId;
    private short epoch;
    private final ArrayDeque<ProducerBatch> batches = new ArrayDeque<>(MAX_CACHED_BATCHES);
    private long ongoingTxnFirstOffset = NO_TRANSACTION;
    private int coordinatorEpoch = NO_COORDINATOR_EPOCH;
    private long lastMarkerTimestamp = -1;

    static final long NO_TRANSACTION = -1;
    static final int NO_COORDINATOR_EPOCH = -1;

    ProducerEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    /** The base offset of the first batch of this producer's ongoing transaction, or {@link #NO_TRANSACTION}. */
    long ongoingTxnFirstOffset() {
        return ongoingTxnFirstOffset;
    }

    void setOngoingTxnFirstOffset(long offset) {
        ongoingTxnFirstOffset = offset;
    }

    /** The coordinator epoch of the last marker written for this producer, or {@link #NO_COORDINATOR_EPOCH}. */
    int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    void setCoordinatorEpoch(int epoch) {
        coordinatorEpoch = epoch;
    }

    /** The cached batches, oldest first. */
    List<ProducerBatch> batches() {
        return List.copyOf(batches);
    }

    /** The last record's sequence, or -1 when no batch is cached for this epoch. */
    int lastSequence() {
        ProducerBatch last = batches.peekLast();
        return last == null ? -1 : last.lastSeq();
    }

    /** The max timestamp of its last batch or transaction marker here, or -1 (what producer expiry measures). */
    long lastTimestamp() {
        ProducerBatch last = batches.peekLast();
        return Math.max(last == null ? -1 : last.timestamp(), lastMarkerTimestamp);
    }

    /** The cached batch of this epoch with exactly these sequences, or null. */
    ProducerBatch findDuplicate(short batchEpoch, int firstSeq, int lastSeq) {
        if (batchEpoch != epoch) {
            return null;
        }
        for (ProducerBatch batch : batches) {
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return batch;
            }
        }
        return null;
    }

    /** Applies a batch written to the log. A new epoch forgets the old epoch's batches. */
    void addBatch(short batchEpoch, ProducerBatch batch) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
        }
        if (batches.size() == MAX_CACHED_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
    }

    /** Applies a control batch (a transaction marker) written at {@code timestamp}: a higher epoch starts afresh. */
    void applyMarker(short markerEpoch, long timestamp) {
        lastMarkerTimestamp = Math.max(lastMarkerTimestamp, timestamp);
        if (markerEpoch > epoch) {
            epoch = markerEpoch;
            batches.clear();
        }
    }
}
