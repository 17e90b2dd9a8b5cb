package io.millrace.storage;

import io.millrace.common.Time;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every partition log under the configured {@code log.dirs} ({@link LogDirectory}). Each log
 * lives in {@code <logdir>/<topic>-<partition>/}; new logs go to the directory holding the
 * fewest. A deleted log's directory is renamed to {@code <topic>-<partition>.<id>-delete} and
 * removed in the background; a restart finishes removals still pending.
 *
 * <p>Threads: "log-retention" applies retention to every log each
 * {@code retentionCheckIntervalMs}, removes deleted log directories and forgets idle producers
 * ({@link ProducerExpiration}); "log-flusher" asks
 * every log whether its flush policy (flush.messages, flush.ms) is due, each
 * {@code flushCheckIntervalMs}, and writes each directory's high watermarks
 * ({@link DirectoryHighWatermarks}, one file and one fsync per directory) when some changed, each
 * {@link #HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS}; "log-cleaner-N" compact the logs with cleanup.policy=compact
 * ({@link LogCleaner}, when the {@link CleanerConfig} enables it). All start with
 * {@link #startBackgroundTasks()}.
 *
 * <p>Thread-safe.
 */
public final class LogManager implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(LogManager.class);
    static final String DELETE_SUFFIX = "-delete";
    /** How often "log-flusher" checks the flush policy when not told otherwise. */
    public static final long DEFAULT_FLUSH_CHECK_INTERVAL_MS = 1_000;
    /** How often "log-flusher" writes changed high watermarks (Kafka's replica.high.watermark.checkpoint.interval.ms). */
    public static final long HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS = 5_000;

    private final List<LogDirectory> dirs;
    private final Time time;
    private final long retentionCheckIntervalMs;
    private final ProducerExpiration producerExpiration;
    private final long flushCheckIntervalMs;
    private final StorageStats stats = new StorageStats();
    private final ConcurrentHashMap<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, LogDirectory> dirOf = new ConcurrentHashMap<>();
    /** How many logs each directory holds (kept with dirOf, so choosing one is not a walk over every log). */
    private final Map<LogDirectory, AtomicInteger> logCounts = new IdentityHashMap<>();
    private final Object createLock = new Object();
    private final ScheduledThreadPoolExecutor retentionThread = singleThread("log-retention");
    private final ScheduledThreadPoolExecutor flusherThread = singleThread("log-flusher");
    private final LogCleaner cleaner;
    private final StorageHealth storageHealth;
    private volatile boolean closed;

    /** Without a log cleaner: compacted logs are not compacted. */
    public LogManager(List<Path> logDirs, Time time, long retentionCheckIntervalMs) {
        this(logDirs, time, retentionCheckIntervalMs, DEFAULT_FLUSH_CHECK_INTERVAL_MS);
    }

    /** As the three-argument constructor, with how often "log-flusher" checks the flush policy. */
    public LogManager(List<Path> logDirs, Time time, long retentionCheckIntervalMs, long flushCheckIntervalMs) {
        this(logDirs, time, retentionCheckIntervalMs, flushCheckIntervalMs,
                new CleanerConfig(false, 0, 0, 0.9, 0, Double.MAX_VALUE, 15_000));
    }

    /** With the log cleaner configured by {@code cleanerConfig} (see {@link CleanerConfig#from}). */
    public LogManager(List<Path> logDirs, Time time, long retentionCheckIntervalMs, CleanerConfig cleanerConfig) {
        this(logDirs, time, retentionCheckIntervalMs, DEFAULT_FLUSH_CHECK_INTERVAL_MS, cleanerConfig);
    }

    /** Retention and flush check intervals and the log cleaner's settings; producers expire after Kafka's defaults. */
    public LogManager(List<Path> logDirs, Time time, long retentionCheckIntervalMs, long flushCheckIntervalMs,
                      CleanerConfig cleanerConfig) {
        this(logDirs, time, retentionCheckIntervalMs, flushCheckIntervalMs, cleanerConfig, ProducerExpiration.DEFAULT);
    }

    /** Every setting: retention and flush check intervals, the log cleaner's, and producer expiry. */
    public LogManager(List<Path> logDirs, Time time, long retentionCheckIntervalMs, long flushCheckIntervalMs,
                      CleanerConfig cleanerConfig, ProducerExpiration producerExpiration) {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("At least one log directory is needed");
        }
        this.time = time;
        this.storageHealth = new StorageHealth(time);
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
        this.producerExpiration = producerExpiration;
        this.flushCheckIntervalMs = flushCheckIntervalMs;
        List<LogDirectory> opened = new ArrayList<>();
        try {
            for (Path dir : logDirs) {
                LogDirectory directory = LogDirectory.open(dir);
                opened.add(directory);
                log.info("Opened log directory {} ({} shutdown)", dir,
                        directory.hadCleanShutdown() ? "after a clean" : "after an unclean or first");
            }
        } catch (RuntimeException e) {
            for (LogDirectory directory : opened) {
                try {
                    directory.close(false);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        this.dirs = List.copyOf(opened);
        for (LogDirectory directory : dirs) {
            logCounts.put(directory, new AtomicInteger());
        }
        this.cleaner = cleanerConfig.runs() ? new LogCleaner(cleanerConfig, time, logs::values) : null;
        if (cleaner != null) {
            cleaner.reportTo(stats);
        }
    }

    private static ScheduledThreadPoolExecutor singleThread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        // close() must not wait for a delayed one-shot task such as a retired segment's deletion
        // (file.delete.delay.ms, a minute by default): closing the logs deletes those at once. With
        // the executor's default policy awaitTermination ran into its 30 s bound on every stop after
        // retention had deleted a segment.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** Directories of this name are the metadata journal's, not partition logs. */
    public static final String METADATA_DIR_PREFIX = "__cluster_metadata";

    /**
     * Opens every log found on disk (recovering those not cleanly shut down), asking
     * {@code configFor} for each topic's config. Logs whose directory is marked for deletion
     * are removed instead (in the background).
     */
    public Collection<PartitionLog> loadAll(Function<String, LogConfig> configFor) {
        for (LogDirectory directory : dirs) {
            List<Path> children;
            try (var stream = Files.list(directory.path())) {
                children = stream.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                throw new KafkaStorageException("Cannot list log directory " + directory.path() + ": " + e, e);
            }
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.endsWith(DELETE_SUFFIX)) {
                    removeInBackground(child);
                    continue;
                }
                if (name.startsWith(METADATA_DIR_PREFIX)) {
                    continue; // the metadata journal lives beside the partition logs, as in Kafka
                }
                Optional<TopicPartition> tp = parsePartitionDirName(name);
                if (tp.isEmpty()) {
                    log.warn("Ignoring {} in log directory {}: not a partition directory", name, directory.path());
                    continue;
                }
                PartitionLog partitionLog = PartitionLog.open(child, tp.get(), null,
                        configFor.apply(tp.get().topic()), time, directory.hadCleanShutdown(), storageHealth,
                        highWatermarkStore(directory, tp.get(), child, true));
                PartitionLog other = logs.putIfAbsent(tp.get(), partitionLog);
                if (other != null) {
                    partitionLog.close();
                    throw new KafkaStorageException("Partition " + tp.get() + " has logs in both " + other.dir()
                            + " and " + child);
                }
                placeIn(tp.get(), directory);
                directory.highWatermarks().register(tp.get(), partitionLog::highWatermark);
            }
        }
        log.info("Loaded {} partition logs from {} log directories", logs.size(), dirs.size());
        return all();
    }

    /** Whether writes to this node's logs are failing (a full disk); see {@link StorageHealth}. */
    public StorageHealth storageHealth() {
        return storageHealth;
    }

    /** {@code <topic>-<partition>}, where the topic may itself contain '-'. */
    static Optional<TopicPartition> parsePartitionDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(name.substring(dash + 1));
            return partition < 0 ? Optional.empty() : Optional.of(new TopicPartition(name.substring(0, dash), partition));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The log of {@code tp}, created in the least-loaded log dir when it does not exist. */
    public PartitionLog getOrCreate(TopicPartition tp, Uuid topicId, LogConfig config) {
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            return existing;
        }
        synchronized (createLock) {
            if (closed) {
                throw new KafkaStorageException("The log manager is closed");
            }
            existing = logs.get(tp);
            if (existing != null) {
                return existing;
            }
            LogDirectory directory = leastLoadedDirectory();
            Path path = directory.path().resolve(tp.topic() + "-" + tp.partition());
            PartitionLog created = PartitionLog.open(path, tp, topicId, config, time, directory.hadCleanShutdown(),
                    storageHealth, highWatermarkStore(directory, tp, path, Files.isDirectory(path)));
            placeIn(tp, directory);
            logs.put(tp, created);
            directory.highWatermarks().register(tp, created::highWatermark);
            log.info("Created the log of {} (topic id {}) in {}", tp, topicId, directory.path());
            return created;
        }
    }

    private static HighWatermarkStore highWatermarkStore(LogDirectory directory, TopicPartition tp, Path path,
                                                         boolean existed) {
        try {
            return directory.highWatermarks().storeFor(tp, path, existed);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot read the high watermark of " + tp + " in " + path + ": " + e, e);
        }
    }

    private void placeIn(TopicPartition tp, LogDirectory directory) {
        if (dirOf.put(tp, directory) == null) {
            logCounts.get(directory).incrementAndGet();
        }
    }

    private LogDirectory leastLoadedDirectory() {
        LogDirectory best = dirs.get(0);
        for (LogDirectory directory : dirs) {
            if (logCounts.get(directory).get() < logCounts.get(best).get()) {
                best = directory;
            }
        }
        return best;
    }

    public Optional<PartitionLog> get(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> all() {
        return List.copyOf(logs.values());
    }

    /** Closes the log of {@code tp} and removes its files (renamed first, deleted in the background). */
    public void delete(TopicPartition tp) {
        PartitionLog partitionLog;
        synchronized (createLock) {
            partitionLog = logs.remove(tp);
            LogDirectory directory = dirOf.remove(tp);
            if (directory != null) {
                logCounts.get(directory).decrementAndGet();
                directory.highWatermarks().unregister(tp);
            }
        }
        if (partitionLog == null) {
            return;
        }
        partitionLog.close();
        Path dir = partitionLog.dir();
        Path renamed = dir.resolveSibling(dir.getFileName() + "." + UUID.randomUUID().toString().replace("-", "")
                + DELETE_SUFFIX);
        try {
            Files.move(dir, renamed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot rename " + dir + " for deletion: " + e, e);
        }
        log.info("Deleted the log of {}; its files in {} are being removed", tp, renamed);
        removeInBackground(renamed);
    }

    private void removeInBackground(Path dir) {
        try {
            retentionThread.execute(() -> {
                try {
                    AtomicFiles.deleteRecursively(dir);
                    log.debug("Removed {}", dir);
                } catch (IOException e) {
                    log.warn("Could not remove {} (will retry at the next start): {}", dir, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            log.info("Left {} for removal at the next start: the log manager is closing", dir);
        }
    }

    /** Starts the retention, flush and cleaner threads. */
    public void startBackgroundTasks() {
        if (cleaner != null) {
            cleaner.start();
        }
        retentionThread.scheduleWithFixedDelay(this::applyRetention, retentionCheckIntervalMs,
                retentionCheckIntervalMs, TimeUnit.MILLISECONDS);
        retentionThread.scheduleWithFixedDelay(this::removeExpiredProducers, producerExpiration.checkIntervalMs(),
                producerExpiration.checkIntervalMs(), TimeUnit.MILLISECONDS);
        flusherThread.scheduleWithFixedDelay(this::flushDueLogs, flushCheckIntervalMs, flushCheckIntervalMs,
                TimeUnit.MILLISECONDS);
        flusherThread.scheduleWithFixedDelay(this::checkpointHighWatermarks, HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS,
                HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Cleaner runs and flush times, for metrics. */
    public StorageStats stats() {
        return stats;
    }

    /** The log cleaner, if enabled (tests drive it directly). */
    Optional<LogCleaner> cleaner() {
        return Optional.ofNullable(cleaner);
    }

    /** One duty cycle of "log-retention". */
    void applyRetention() {
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.deleteExpiredSegments();
                scheduleRetiredDeletion(partitionLog);
            } catch (RuntimeException e) {
                log.error("Retention failed for {}: {}", partitionLog.topicPartition(), e.toString());
            }
        }
    }

    /** The producer-expiry duty of "log-retention": forgets idle producers of every log. */
    void removeExpiredProducers() {
        for (PartitionLog partitionLog : logs.values()) {
            try {
                int removed = partitionLog.removeExpiredProducers(producerExpiration.expirationMs().getAsLong());
                if (removed > 0) {
                    log.debug("Expired {} idle producers of {}", removed, partitionLog.topicPartition());
                }
            } catch (RuntimeException e) {
                log.error("Producer expiry failed for {}: {}", partitionLog.topicPartition(), e.toString());
            }
        }
    }

    /** Deletes the segments retention just removed once their file.delete.delay.ms has passed. */
    private void scheduleRetiredDeletion(PartitionLog partitionLog) {
        long dueMs = partitionLog.nextRetiredDeletionMs();
        if (dueMs == Long.MAX_VALUE) {
            return;
        }
        long delayMs = Math.max(0, dueMs - time.milliseconds());
        try {
            retentionThread.schedule(partitionLog::deleteRetiredSegments, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: closing the log deletes them.
        }
    }

    /**
     * Writes each log directory's {@code replication-offset-checkpoint} in which some high
     * watermark changed: one fsync per such directory (on "log-flusher", and on close).
     */
    void checkpointHighWatermarks() {
        for (LogDirectory directory : dirs) {
            try {
                directory.highWatermarks().checkpoint();
            } catch (IOException e) {
                // logged once per failing streak (a full disk fails it every interval): try again next time
            } catch (RuntimeException e) {
                log.error("Could not checkpoint the high watermarks of {}: {}", directory.path(), e.toString());
            }
        }
    }

    /** One duty cycle of "log-flusher". */
    void flushDueLogs() {
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.syncCreationFiles();
                long begin = System.nanoTime();
                if (partitionLog.flushIfDue()) {
                    stats.flushed(System.nanoTime() - begin);
                }
            } catch (RuntimeException e) {
                log.error("Flush failed for {}: {}", partitionLog.topicPartition(), e.toString());
            }
        }
    }

    /** Stops the threads, flushes and closes every log, and marks the shutdown clean. */
    @Override
    public void close() {
        synchronized (createLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (cleaner != null) {
            cleaner.shutdown();
        }
        retentionThread.shutdown();
        flusherThread.shutdown();
        try {
            retentionThread.awaitTermination(30, TimeUnit.SECONDS);
            flusherThread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<LogDirectory, Boolean> clean = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionLog> entry : logs.entrySet()) {
            LogDirectory directory = dirOf.get(entry.getKey());
            try {
                entry.getValue().close();
            } catch (RuntimeException e) {
                log.error("Could not close the log of {}: {}", entry.getKey(), e.toString());
                clean.put(directory, false);
            }
        }
        checkpointHighWatermarks();
        logs.clear();
        dirOf.clear();
        logCounts.values().forEach(count -> count.set(0));
        for (LogDirectory directory : dirs) {
            try {
                directory.close(clean.getOrDefault(directory, true));
            } catch (IOException e) {
                log.error("Could not mark {} as cleanly shut down: {}", directory.path(), e.toString());
            }
        }
        log.info("Closed {} log directories", dirs.size());
    }
}
