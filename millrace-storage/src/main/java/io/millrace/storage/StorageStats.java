package io.millrace.storage;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What the log manager's background threads report for metrics: log cleaner runs, and the time of
 * each periodic log flush (flush.ms / flush.messages). The broker reads and binds them; storage
 * knows nothing of how they are exposed.
 *
 * <p>Thread-safe.
 */
public final class StorageStats {
    private final LongAdder cleanerRuns = new LongAdder();
    private volatile LongConsumer flushNanos = nanos -> { };

    /** Cleaner runs that cleaned a log since start. */
    public long cleanerRuns() {
        return cleanerRuns.sum();
    }

    /** Where each periodic flush's duration goes, in nanoseconds. */
    public void reportFlushesTo(LongConsumer flushDurations) {
        this.flushNanos = flushDurations;
    }

    void cleanerRan() {
        cleanerRuns.increment();
    }

    void flushed(long nanos) {
        flushNanos.accept(nanos);
    }
}
