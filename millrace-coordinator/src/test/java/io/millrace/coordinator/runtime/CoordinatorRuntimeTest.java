package io.millrace.coordinator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime: loading replays the log, writes append then replay then answer, timers, unloading. */
@Timeout(30)
class CoordinatorRuntimeTest {
    /** A shard that remembers the values it replayed, and on which thread. */
    static final class ListShard implements CoordinatorShard {
        final List<String> values = new ArrayList<>();
        final Context context;
        volatile Thread owner;

        ListShard(Context context) {
            this.context = context;
        }

        @Override
        public void replay(CoordinatorRecord record) {
            owner = Thread.currentThread();
            values.add(new String(record.value()));
        }
    }

    /** Every partition's records in memory; loading can be held back with a latch. */
    static final class MemoryLog implements CoordinatorLog {
        final Map<Integer, List<CoordinatorRecord>> partitions = new ConcurrentHashMap<>();
        volatile CountDownLatch loadGate = new CountDownLatch(0);

        @Override
        public void append(int partition, List<CoordinatorRecord> records) {
            partitions.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(records);
        }

        @Override
        public void readAll(int partition, Consumer<CoordinatorRecord> sink) {
            try {
                loadGate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            partitions.getOrDefault(partition, List.of()).forEach(sink);
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
        load(runtime, 3);
        List<String> afterWrite = runtime.write(3, "add", shard -> new CoordinatorResult<>(List.of(record("c")),
                List.copyOf(shard.values))).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("a", "b"), afterWrite, "the operation saw the loaded state, not its own records");
        assertEquals(List.of("a", "b", "c"), runtime.read(3, shard -> List.copyOf(shard.values)).get(10, TimeUnit.SECONDS));
        assertEquals(3, log.partitions.get(3).size());
        assertTrue(runtime.read(3, shard -> shard.owner.getName()).get(10, TimeUnit.SECONDS).startsWith("test-coordinator-"));
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
    void aFailedAppendFailsTheWriteAndChangesNothing() throws Exception {
        CoordinatorRuntime<ListShard> failing = new CoordinatorRuntime<>("failing", 1, new CoordinatorLog() {
            @Override
            public void append(int partition, List<CoordinatorRecord> records) {
                throw new NotCoordinatorException("lost leadership");
            }

            @Override
            public void readAll(int partition, Consumer<CoordinatorRecord> sink) {
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
