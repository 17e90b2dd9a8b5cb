package io.millrace.quorum;

import io.millrace.metadata.records.MetadataRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A bounded in-memory tail of the most recently applied metadata batches, so a node that is not
 * a voter can catch up by record count ({@link RemoteMetadataFollower}) without a full snapshot.
 * Written by the state-machine updater thread, read by query threads: every method holds the
 * monitor.
 */
final class RecentBatches {
    /** One applied batch and the image's record count after it. */
    record Batch(long recordCountAfter, List<MetadataRecord> records) {
    }

    private final int maxRecords;
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private long firstRecordCount;   // record count before the oldest kept batch
    private long lastRecordCount;    // record count after the newest batch
    private int keptRecords;
    private CompletableFuture<Void> changed = new CompletableFuture<>();

    RecentBatches(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    void add(long recordCountAfter, List<MetadataRecord> records) {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            if (records.isEmpty()) {
                return;
            }
            if (recordCountAfter - records.size() != lastRecordCount) {
                batches.clear();  // a gap: nothing older is contiguous any more
                keptRecords = 0;
                firstRecordCount = recordCountAfter - records.size();
            }
            batches.addLast(new Batch(recordCountAfter, records));
            keptRecords += records.size();
            lastRecordCount = recordCountAfter;
            while (keptRecords > maxRecords && batches.size() > 1) {
                Batch dropped = batches.removeFirst();
                keptRecords -= dropped.records().size();
                firstRecordCount = dropped.recordCountAfter();
            }
            waiting = changed;
            changed = new CompletableFuture<>();
        }
        waiting.complete(null);
    }

    /** The state was replaced (a snapshot was loaded): only batches after {@code recordCount} can follow. */
    void reset(long recordCount) {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            batches.clear();
            keptRecords = 0;
            firstRecordCount = recordCount;
            lastRecordCount = recordCount;
            waiting = changed;
            changed = new CompletableFuture<>();
        }
        waiting.complete(null);
    }

    /**
     * The batches applied after {@code recordCount}, in order (empty when there is none yet), or
     * empty Optional when they are no longer kept (or {@code recordCount} is not a batch boundary
     * of this history): the caller needs a full snapshot.
     */
    synchronized Optional<List<Batch>> after(long recordCount) {
        if (recordCount < firstRecordCount || recordCount > lastRecordCount) {
            return Optional.empty();
        }
        List<Batch> result = new ArrayList<>();
        long boundary = firstRecordCount;
        for (Batch batch : batches) {
            if (batch.recordCountAfter() > recordCount) {
                if (boundary != recordCount && result.isEmpty()) {
                    return Optional.empty();
                }
                result.add(batch);
            }
            boundary = batch.recordCountAfter();
        }
        return Optional.of(result);
    }

    /** Completes at the next change. */
    synchronized CompletableFuture<Void> nextChange() {
        return changed;
    }
}
