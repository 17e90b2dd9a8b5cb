package io.millrace.coordinator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime: loading replays the log, writes append then replay then answer, timers, unloading. */
@Timeout(30)
class CoordinatorRuntimeTest {
    /**
     * A shard that remembers the values it replayed, and on which thread; "transient" is state a
     * write changes directly (as the classic group protocol does), registered with the journal.
     */
    static final class ListShard implements CoordinatorShard {
        final List<String> values = new CopyOnWriteArrayList<>();
        final List<Long> offsets = new CopyOnWriteArrayList<>();
        final List<Long> producerIds = new CopyOnWriteArrayList<>();
        final List<String> markers = new CopyOnWriteArrayList<>();
        final Context context;
        volatile String transientState = "initial";
        volatile Thread owner;

        ListShard(Context context) {
            this.context = context;
        }

        @Override
        public void replay(long offset, long producerId, short producerEpoch, CoordinatorRecord record) {
            owner = Thread.currentThread();
            values.add(new String(record.value()));
            offsets.add(offset);
            producerIds.add(producerId);
        }

        @Override
        public void replayEndTransactionMarker(long offset, long producerId, short producerEpoch,
                                               TransactionMarker marker) {
            markers.add(marker + " of " + producerId + " at " + offset);
        }

        void changeTransientState(String next) {
            String before = transientState;
            context.journal().onRevert(() -> transientState = before);
            transientState = next;
        }
    }

    /**
     * Every partition's records in memory; loading can be held back with a latch, appends can be
     * made to fail, and commits held back until {@link #commitAll()} (or failed with {@link #failCommits}).
     */
    static final class MemoryLog implements CoordinatorLog {
        final Map<Integer, List<CoordinatorRecord>> partitions = new ConcurrentHashMap<>();
        final List<CompletableFuture<Void>> uncommitted = new CopyOnWriteArrayList<>();
        volatile CountDownLatch loadGate = new CountDownLatch(0);
        volatile boolean holdCommits;
        volatile RuntimeException appendFailure;
        final List<BatchProducer> producers = new CopyOnWriteArrayList<>();

        @Override
        public Appended append(int partition, BatchProducer producer, List<CoordinatorRecord> records) {
            if (appendFailure != null) {
                throw appendFailure;
            }
            producers.add(producer);
            List<CoordinatorRecord> log = partitions.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>());
            long base = log.size();
            log.addAll(records);
            CompletableFuture<Void> committed = new CompletableFuture<>();
            if (holdCommits) {
                uncommitted.add(committed);
            } else {
                committed.complete(null);
            }
            return new Appended(base, committed);
        }

        void commitAll() {
            uncommitted.forEach(f -> f.complete(null));
            uncommitted.clear();
        }

        void failCommits(RuntimeException e) {
            uncommitted.forEach(f -> f.completeExceptionally(e));
            uncommitted.clear();
        }

        @Override
        public Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch,
                                                   int coordinatorEpoch, TransactionMarker marker) {
            List<CoordinatorRecord> log = partitions.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>());
            long offset = log.size();
            log.add(new CoordinatorRecord((short) -1, new byte[0], null)); // takes the marker's offset
            CompletableFuture<Void> committed = new CompletableFuture<>();
            if (holdCommits) {
                uncommitted.add(committed);
            } else {
                committed.complete(null);
            }
            return new Appended(offset, committed);
        }

        @Override
        public void readAll(int partition, RecordSink sink) {
            try {
                loadGate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            List<CoordinatorRecord> log = partitions.getOrDefault(partition, List.of());
            for (int i = 0; i < log.size(); i++) {
                sink.record(i, CoordinatorShard.NO_PRODUCER_ID, CoordinatorShard.NO_PRODUCER_EPOCH, log.get(i));
            }
        }
    }

    private final MemoryLog log = new MemoryLog();
    private final CoordinatorRuntime<ListShard> runtime = new CoordinatorRuntime<>("test-coordinator", 2, log,
            Time.SYSTEM, ListShard::new);

    @AfterEach
    void close() {
        runtime.close();
    }

    /** Loads are asynchronous: polls until the partition serves, with a deadline. */
    private static void load(CoordinatorRuntime<?> runtime, int partition) throws InterruptedException {
        runtime.load(partition);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!runtime.isActive(partition)) {
            assertTrue(System.nanoTime() < deadline, "partition " + partition + " loaded");
            Thread.sleep(5);
        }
    }

    private static CoordinatorRecord record(String value) {
        return new CoordinatorRecord(CoordinatorRecord.OFFSET_COMMIT, value.getBytes(), value.getBytes());
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void loadingReplaysTheLogAndWritesAppendThenReplayBeforeAnswering() throws Exception {
        log.append(3, List.of(record("a"), record("b")));
        log.holdCommits = false;
        load(runtime, 3);
        List<String> afterWrite = runtime.write(3, "add", shard -> new CoordinatorResult<>(List.of(record("c")),
                List.copyOf(shard.values))).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("a", "b"), afterWrite, "the operation saw the loaded state, not its own records");
        assertEquals(List.of("a", "b", "c"), runtime.read(3, shard -> List.copyOf(shard.values)).get(10, TimeUnit.SECONDS));
        assertEquals(3, log.partitions.get(3).size());
        assertTrue(runtime.read(3, shard -> shard.owner.getName()).get(10, TimeUnit.SECONDS).startsWith("test-coordinator-"));
    }

    @Test
    void aTransactionalWriteIsReplayedWithItsProducerAndItsMarkerIsVisibleOnceCommitted() throws Exception {
        load(runtime, 2);
        runtime.write(2, "txn", shard -> CoordinatorResult.transactional(List.of(record("t")), "ok", 77L, (short) 3))
                .get(10, TimeUnit.SECONDS);
        assertEquals(List.of(BatchProducer.transactional(77L, (short) 3)), log.producers);
        assertEquals(List.of(77L), runtime.read(2, shard -> List.copyOf(shard.producerIds)).get(10, TimeUnit.SECONDS));

        log.holdCommits = true;
        CompletableFuture<Void> marker = runtime.completeTransaction(2, 77L, (short) 3, 5, TransactionMarker.COMMIT);
        CompletableFuture<List<String>> read = runtime.read(2, shard -> List.copyOf(shard.markers));
        Thread.sleep(50);
        assertFalse(marker.isDone(), "answers once the marker is committed");
        assertFalse(read.isDone(), "a read after the marker waits for its commit too");
        log.commitAll();
        marker.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("COMMIT of 77 at 1"), read.get(10, TimeUnit.SECONDS));
        assertInstanceOf(NotCoordinatorException.class,
                failure(runtime.completeTransaction(9, 77L, (short) 3, 5, TransactionMarker.ABORT)));
    }

    @Test
    void aPartitionBeingLoadedOrNotHostedAnswersTheRightError() throws Exception {
        assertInstanceOf(NotCoordinatorException.class, failure(runtime.read(1, shard -> 0)));
        log.loadGate = new CountDownLatch(1);
        runtime.load(1);
        assertInstanceOf(CoordinatorLoadInProgressException.class, failure(runtime.read(1, shard -> 0)));
        log.loadGate.countDown();
        load(runtime, 1);
        runtime.read(1, shard -> 0).get(10, TimeUnit.SECONDS);
        runtime.unload(1);
        assertInstanceOf(NotCoordinatorException.class, failure(runtime.read(1, shard -> 0)));
    }

    @Test
    void timersRunTheirOperationsOnTheShardThreadAndCanBeReplaced() throws Exception {
        load(runtime, 0);
        CompletableFuture<String> fired = new CompletableFuture<>();
        runtime.write(0, "schedule", shard -> {
            shard.context.timer().schedule("t", 60_000, () -> {
                fired.complete("replaced timer ran");
                return CoordinatorResult.of(null);
            });
            shard.context.timer().schedule("t", 10, () -> {
                fired.complete(Thread.currentThread().getName());
                return new CoordinatorResult<>(List.of(record("from-timer")), null);
            });
            return CoordinatorResult.of(null);
        }).get(10, TimeUnit.SECONDS);
        assertTrue(fired.get(10, TimeUnit.SECONDS).startsWith("test-coordinator-"));
        assertEquals(List.of("from-timer"), runtime.read(0, shard -> List.copyOf(shard.values)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aWriteIsReplayedAtOnceButAnswersOnlyOnceCommitted() throws Exception {
        load(runtime, 2);
        ListShard shard = shardOf(2);
        log.holdCommits = true;
        CompletableFuture<String> written = runtime.write(2, "add", s -> new CoordinatorResult<>(
                List.of(record("a"), record("b")), "done"));
        awaitValues(shard, List.of("a", "b"));
        assertEquals(List.of(0L, 1L), shard.offsets, "replay gets each record's offset");
        CompletableFuture<List<String>> read = runtime.read(2, s -> List.copyOf(s.values));
        CompletableFuture<String> noRecords = runtime.write(2, "no-op", s -> CoordinatorResult.of("later"));
        Thread.sleep(100);
        assertFalse(written.isDone(), "no answer before the commit");
        assertFalse(read.isDone(), "a read waits for what was appended before it");
        assertFalse(noRecords.isDone(), "a write without records waits for what was appended before it");
        log.commitAll();
        assertEquals("done", written.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b"), read.get(10, TimeUnit.SECONDS));
        assertEquals("later", noRecords.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailedCommitAnswersItsErrorAndKeepsWhatTheLogHolds() throws Exception {
        load(runtime, 2);
        ListShard shard = shardOf(2);
        log.holdCommits = true;
        CompletableFuture<String> written = runtime.write(2, "add", s -> new CoordinatorResult<>(
                List.of(record("a")), "done"));
        awaitValues(shard, List.of("a"));
        log.failCommits(new NotCoordinatorException("no longer leader"));
        assertInstanceOf(NotCoordinatorException.class, failure(written));
        assertEquals(List.of("a"), runtime.read(2, s -> List.copyOf(s.values)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailedAppendRevertsWhatTheOperationChangedAndAnswersTheError() throws Exception {
        load(runtime, 0);
        log.appendFailure = new CoordinatorNotAvailableException("not enough replicas");
        CompletableFuture<String> effect = new CompletableFuture<>();
        CompletableFuture<String> written = runtime.write(0, "change", shard -> {
            shard.changeTransientState("changed");
            shard.context.timer().schedule("t", 60_000, () -> CoordinatorResult.of(null));
            shard.context.journal().afterCommit(() -> effect.complete("ran"));
            return new CoordinatorResult<>(List.of(record("x")), "ok");
        });
        assertInstanceOf(CoordinatorNotAvailableException.class, failure(written));
        assertEquals("initial", runtime.read(0, s -> s.transientState).get(10, TimeUnit.SECONDS));
        assertFalse(runtime.read(0, s -> s.context.timer().isScheduled("t")).get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), runtime.read(0, s -> List.copyOf(s.values)).get(10, TimeUnit.SECONDS));
        assertFalse(effect.isDone(), "side effects of a reverted write never happen");

        log.appendFailure = null;
        runtime.write(0, "change", shard -> {
            shard.changeTransientState("changed");
            shard.context.journal().afterCommit(() -> effect.complete("ran"));
            return new CoordinatorResult<>(List.of(record("x")), "ok");
        }).get(10, TimeUnit.SECONDS);
        assertEquals("changed", runtime.read(0, s -> s.transientState).get(10, TimeUnit.SECONDS));
        assertEquals("ran", effect.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTimerWhoseRecordsCannotBeAppendedRunsAgain() throws Exception {
        load(runtime, 1);
        log.appendFailure = new CoordinatorNotAvailableException("not enough replicas");
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        runtime.write(1, "schedule", shard -> {
            shard.context.timer().schedule("expiry", 10, () -> {
                if (runs.incrementAndGet() == 2) {
                    log.appendFailure = null;
                }
                return new CoordinatorResult<>(List.of(record("expired")), null);
            });
            return CoordinatorResult.of(null);
        }).get(10, TimeUnit.SECONDS);
        awaitValues(shardOf(1), List.of("expired"));
        assertEquals(2, runs.get(), "failed once, appended on the retry");
    }

    private ListShard shardOf(int partition) throws Exception {
        return runtime.read(partition, s -> s).get(10, TimeUnit.SECONDS);
    }

    private static void awaitValues(ListShard shard, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!shard.values.equals(expected)) {
            assertTrue(System.nanoTime() < deadline, "replayed " + expected + ", have " + shard.values);
            Thread.sleep(5);
        }
    }

    @Test
    void aFailedAppendFailsTheWriteAndChangesNothing() throws Exception {
        CoordinatorRuntime<ListShard> failing = new CoordinatorRuntime<>("failing", 1, new CoordinatorLog() {
            @Override
            public Appended append(int partition, BatchProducer producer, List<CoordinatorRecord> records) {
                throw new NotCoordinatorException("lost leadership");
            }

            @Override
            public Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch,
                                                       int coordinatorEpoch, TransactionMarker marker) {
                throw new UnsupportedOperationException("no transactions here");
            }


            @Override
            public void readAll(int partition, RecordSink sink) {
            }
        }, Time.SYSTEM, ListShard::new);
        try {
            load(failing, 0);
            assertInstanceOf(NotCoordinatorException.class, failure(failing.write(0, "w",
                    shard -> new CoordinatorResult<>(List.of(record("x")), "ok"))));
            assertEquals(List.of(), failing.read(0, shard -> List.copyOf(shard.values)).get(10, TimeUnit.SECONDS));
        } finally {
            failing.close();
        }
    }
}
