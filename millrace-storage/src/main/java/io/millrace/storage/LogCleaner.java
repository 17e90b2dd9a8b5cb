package io.millrace.storage;

import io.millrace.common.Time;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts logs with cleanup.policy=compact in the background, owned by {@link LogManager}.
 *
 * <p>Threads: {@link CleanerConfig#threads()} threads named "log-cleaner-N". Each duty cycle
 * deletes the replaced segments whose file.delete.delay.ms has passed
 * ({@link PendingSegmentDeletions}), then picks the compacted log most in need
 * ({@link CleanablePlan}: the highest dirty ratio among those at or above
 * min.cleanable.dirty.ratio or overdue by max.compaction.lag.ms; failing that, one whose next
 * tombstone delete horizon has passed) and no other thread is cleaning, and cleans it
 * ({@link LogCleaning}). With nothing to do it sleeps log.cleaner.backoff.ms. A log whose
 * cleaning fails is left alone for {@value #FAILED_LOG_PAUSE_MS} ms. Threads are never
 * interrupted (that would close the segment files under readers); they check a stop flag
 * between batches.
 *
 * <p>Memory: each thread owns an {@link OffsetMap} of log.cleaner.dedupe.buffer.size / threads
 * bytes at most (allocated as it fills, up to one and a half times that while doubling) and read
 * and write buffers of log.cleaner.io.buffer.size / threads / 2 each. I/O of all threads together
 * is held to log.cleaner.io.max.bytes.per.second ({@link CleanerThrottle}).
 *
 * <p>Thread-safe.
 */
final class LogCleaner {
    private static final Logger log = LoggerFactory.getLogger(LogCleaner.class);
    static final long FAILED_LOG_PAUSE_MS = 10 * 60 * 1000L;

    private final CleanerConfig config;
    private final Time time;
    private final Supplier<Collection<PartitionLog>> logs;
    private final CleanerThrottle throttle;
    private final PendingSegmentDeletions deletions = new PendingSegmentDeletions();
    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Map<TopicPartition, Long> failedUntil = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeup = new Object();
    private volatile boolean stopping;
    /** Counts the runs that cleaned a log (metrics); replaced once before the threads start. */
    private volatile StorageStats stats = new StorageStats();
    private Worker callerWorker;

    LogCleaner(CleanerConfig config, Time time, Supplier<Collection<PartitionLog>> logs) {
        this.config = config;
        this.time = time;
        this.logs = logs;
        this.throttle = new CleanerThrottle(config.ioMaxBytesPerSecond(), time);
    }

    /** Starts the cleaner threads. */
    synchronized void start() {
        for (int i = 0; i < config.threads(); i++) {
            Worker worker = new Worker();
            Thread thread = new Thread(() -> runThread(worker), "log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        log.info("Started {} log cleaner thread(s), each with up to {} bytes of dedupe buffer; I/O limit: {}",
                config.threads(), config.dedupeBytesPerThread(),
                throttle.unlimited() ? "none" : (long) config.ioMaxBytesPerSecond() + " bytes/s");
    }

    /** Stops the threads (an ongoing cleaning is abandoned at its next batch) and deletes replaced segments now. */
    void shutdown() {
        stopping = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(threads);
        }
        for (Thread thread : started) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        deletions.runAll();
    }

    /**
     * One cleaning on the calling thread (what a cleaner thread does each cycle; tests call it
     * directly): true when a log was cleaned.
     */
    boolean cleanOnce() {
        Worker worker;
        synchronized (this) {
            if (callerWorker == null) {
                callerWorker = new Worker();
            }
            worker = callerWorker;
        }
        return worker.cleanOnce();
    }

    PendingSegmentDeletions deletions() {
        return deletions;
    }

    void reportTo(StorageStats storageStats) {
        this.stats = storageStats;
    }

    private void runThread(Worker worker) {
        while (!stopping) {
            boolean cleaned = false;
            try {
                deletions.runDue(time.milliseconds());
                cleaned = worker.cleanOnce();
                if (cleaned) {
                    stats.cleanerRan();
                }
            } catch (RuntimeException | Error e) {
                log.error("The log cleaner failed: {}", e.toString(), e);
            }
            if (!cleaned) {
                pause();
            }
        }
    }

    private void pause() {
        long untilDeletion = deletions.nextDueMs() - time.milliseconds();
        long waitMs = Math.max(1, Math.min(config.backoffMs(), untilDeletion));
        synchronized (wakeup) {
            if (!stopping) {
                try {
                    wakeup.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
        }
    }

    /** A log to clean and what to clean of it. */
    private record Choice(PartitionLog log, List<LogSegment> segments, CleanablePlan plan) {
    }

    /** Picks the log most in need of cleaning that nobody is cleaning, and marks it in progress. */
    private synchronized Choice pick() {
        long now = time.milliseconds();
        Choice best = null;
        Choice horizonOnly = null;
        for (PartitionLog partitionLog : logs.get()) {
            LogConfig logConfig = partitionLog.config();
            TopicPartition tp = partitionLog.topicPartition();
            if (!logConfig.compact() || partitionLog.isClosed() || inProgress.contains(tp)
                    || failedUntil.getOrDefault(tp, Long.MIN_VALUE) > now) {
                continue;
            }
            Choice choice;
            try {
                choice = plan(partitionLog, now);
            } catch (IOException e) {
                log.debug("Skipping {} this round: {}", tp, e.toString());
                continue;
            }
            if (choice.plan().needsCleaning(logConfig)) {
                if (best == null || choice.plan().dirtyRatio() > best.plan().dirtyRatio()) {
                    best = choice;
                }
            } else if (choice.plan().deleteHorizonPassed() && horizonOnly == null) {
                horizonOnly = choice;
            }
        }
        Choice chosen = best != null ? best : horizonOnly;
        if (chosen != null) {
            inProgress.add(chosen.log().topicPartition());
        }
        return chosen;
    }

    private static Choice plan(PartitionLog partitionLog, long now) throws IOException {
        List<LogSegment> segments = partitionLog.segmentSnapshot();
        CleanerCheckpoint.State checkpoint = partitionLog.cleanerHooks().checkpoint();
        LogConfig config = partitionLog.config();
        List<CleanablePlan.SegmentView> views = CleanablePlan.describe(segments, partitionLog.logEndOffset(),
                checkpoint.firstDirtyOffset(), config.maxCompactionLagMs() < Long.MAX_VALUE);
        CleanablePlan plan = CleanablePlan.of(views, checkpoint, partitionLog.logStartOffset(),
                partitionLog.lastStableOffset(), config, now);
        return new Choice(partitionLog, segments, plan);
    }

    private synchronized void finished(TopicPartition tp, boolean failed) {
        inProgress.remove(tp);
        if (failed) {
            failedUntil.put(tp, time.milliseconds() + FAILED_LOG_PAUSE_MS);
        } else {
            failedUntil.remove(tp);
        }
    }

    /** What one cleaner thread owns: its offset map. */
    private final class Worker {
        private OffsetMap map;

        boolean cleanOnce() {
            Choice choice = pick();
            if (choice == null) {
                return false;
            }
            PartitionLog partitionLog = choice.log();
            TopicPartition tp = partitionLog.topicPartition();
            long startNanos = System.nanoTime();
            boolean failed = false;
            try {
                if (map == null) {
                    map = new OffsetMap(config.dedupeBytesPerThread(), config.dedupeLoadFactor());
                }
                LogCleaning.Result result = new LogCleaning(partitionLog, choice.segments(), choice.plan(), map,
                        throttle, time, deletions, config.ioBufferBytesPerThread(), () -> stopping).run();
                logResult(tp, choice.plan(), result, (System.nanoTime() - startNanos) / 1_000_000);
                return result.completed();
            } catch (LogCleaning.Abandoned | ClosedChannelException e) {
                log.debug("Abandoned cleaning {}: {}", tp, e.getMessage() != null ? e.getMessage() : e.toString());
                return false;
            } catch (IOException | RuntimeException e) {
                if (partitionLog.isClosed()) {
                    log.debug("Abandoned cleaning {}: the log closed ({})", tp, e.toString());
                    return false;
                }
                failed = true;
                log.error("Could not clean {}; it is skipped for {} minutes: {}", tp, FAILED_LOG_PAUSE_MS / 60_000,
                        e.toString(), e);
                return false;
            } finally {
                finished(tp, failed);
            }
        }
    }

    private static void logResult(TopicPartition tp, CleanablePlan plan, LogCleaning.Result result, long elapsedMs) {
        if (!result.completed()) {
            return;
        }
        long before = result.bytesBefore();
        long after = result.bytesAfter();
        String why = plan.dirtyBytes() > 0
                ? String.format("dirty ratio %.2f%s", plan.dirtyRatio(), plan.overdue() ? ", past max.compaction.lag.ms" : "")
                : "tombstones past delete.retention.ms";
        log.info("Cleaned the log of {} in {} ms: {} segment(s) holding offsets {} to {} became {} ({} bytes before, "
                        + "{} after, {}% smaller); {}; {}", tp, elapsedMs, result.segmentsRewritten(),
                result.firstOffset(), result.mapEnd() - 1, result.segmentsAfter(), before, after,
                before == 0 ? 0 : Math.round(100.0 * (before - after) / before), LogCleaning.describe(result), why);
    }
}
