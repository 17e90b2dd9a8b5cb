package io.millrace.coordinator.txn;

import io.millrace.common.Time;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorShard;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import io.millrace.coordinator.runtime.WriteJournal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * One {@link TransactionCoordinatorShard} driven as the runtime drives it, without threads: a
 * write's records go to an in-memory log and are replayed, side effects run at once (as if
 * committed at once), markers to write (from a transition, as the service sends them, or handed
 * over by the shard) are collected in {@link #markers}, timers fire when the
 * manual clock passes them, {@link #reload()} builds a new shard from the log (a restart).
 */
final class TxnShardHarness {
    static final TransactionCoordinatorConfig CONFIG =
            new TransactionCoordinatorConfig(1, 1, 900_000, 10_000, 604_800_000L, 3_600_000L);
    final AtomicLong now = new AtomicLong(1_000_000L);
    final Time time = new Time() {
        @Override
        public long milliseconds() {
            return now.get();
        }

        @Override
        public long nanoseconds() {
            return now.get() * 1_000_000L;
        }
    };
    final List<CoordinatorRecord> log = new ArrayList<>();
    final List<TransactionMarkers> markers = new ArrayList<>();
    private final Map<String, Long> deadlines = new HashMap<>();
    private final Map<String, Supplier<CoordinatorResult<Void>>> timers = new HashMap<>();
    private final AtomicLong nextProducerId = new AtomicLong(5000);
    private final List<String> timedOut = new ArrayList<>();
    TransactionCoordinatorShard shard;

    TxnShardHarness() {
        reload();
    }

    void reload() {
        timers.clear();
        deadlines.clear();
        CoordinatorTimer timer = new CoordinatorTimer() {
            @Override
            public void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation) {
                timers.put(key, operation);
                deadlines.put(key, now.get() + delayMs);
            }

            @Override
            public void cancel(String key) {
                timers.remove(key);
                deadlines.remove(key);
            }

            @Override
            public boolean isScheduled(String key) {
                return timers.containsKey(key);
            }
        };
        shard = new TransactionCoordinatorShard(new CoordinatorShard.Context(0, timer, time, new WriteJournal()), CONFIG,
                markers::add, timedOut::addAll);
        for (int offset = 0; offset < log.size(); offset++) {
            shard.replay(offset, -1, (short) -1, log.get(offset));
        }
        shard.onLoaded();
    }

    <T> T write(Function<TransactionCoordinatorShard, CoordinatorResult<T>> operation) {
        CoordinatorResult<T> result = operation.apply(shard);
        for (CoordinatorRecord record : result.records()) {
            log.add(record);
            shard.replay(log.size() - 1, -1, (short) -1, record);
        }
        if (result.response() instanceof Transition t && t.writeMarkers()) {
            markers.add(TransactionMarkers.of(shard.partition(), t.lastWrite())); // as the service does once the write is committed
        }
        return result.response();
    }

    /** InitProducerId as the service runs it: a fresh producer id only when the shard asks for one. */
    Transition init(String transactionalId, long expectedProducerId, short expectedEpoch) {
        Transition t = write(s -> s.initProducerId(transactionalId, 60_000, expectedProducerId, expectedEpoch,
                OptionalLong.empty()));
        if (t.needsProducerId()) {
            long id = nextProducerId.getAndIncrement();
            t = write(s -> s.initProducerId(transactionalId, 60_000, expectedProducerId, expectedEpoch, OptionalLong.of(id)));
        }
        return t;
    }

    Transition init(String transactionalId) {
        return init(transactionalId, -1, (short) -1);
    }

    Transition add(String transactionalId, long producerId, short epoch, TopicPartition... partitions) {
        return write(s -> s.addPartitions(transactionalId, producerId, epoch, Set.of(partitions)));
    }

    Transition end(String transactionalId, long producerId, short epoch, boolean commit, boolean version2) {
        Transition t = write(s -> s.endTransaction(transactionalId, producerId, epoch, commit, version2, OptionalLong.empty()));
        if (t.needsProducerId()) {
            long id = nextProducerId.getAndIncrement();
            t = write(s -> s.endTransaction(transactionalId, producerId, epoch, commit, version2, OptionalLong.of(id)));
        }
        return t;
    }

    /** Completes every transaction whose markers were handed over, as the service does once they are written. */
    void completeMarkers() {
        List<TransactionMarkers> pending = List.copyOf(markers);
        markers.clear();
        pending.forEach(m -> write(s -> s.complete(m)));
    }

    /** Sets a producer epoch directly, as if the id had been bumped that often. */
    void setEpoch(String transactionalId, short epoch) {
        TransactionMetadata m = get(transactionalId);
        TransactionMetadata next = new TransactionMetadata(m.transactionalId(), m.producerId(), m.previousProducerId(),
                m.nextProducerId(), epoch, m.lastProducerEpoch(), m.timeoutMs(), m.status(), m.partitions(),
                m.startTimestamp(), m.lastUpdateTimestamp(), m.clientTransactionVersion());
        write(s -> new CoordinatorResult<>(List.of(TransactionRecords.record(next)), null));
    }

    TransactionMetadata get(String transactionalId) {
        return shard.get(transactionalId);
    }

    /** Moves the clock, firing every timer that falls due. */
    void advance(long ms) {
        long target = now.get() + ms;
        while (true) {
            String due = deadlines.entrySet().stream().filter(e -> e.getValue() <= target)
                    .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
            if (due == null) {
                break;
            }
            now.set(Math.max(now.get(), deadlines.remove(due)));
            Supplier<CoordinatorResult<Void>> op = timers.remove(due);
            write(s -> op.get());
            List<String> aborts = List.copyOf(timedOut); // as the service aborts them, one write each
            timedOut.clear();
            aborts.forEach(id -> write(s -> s.abortTimedOut(id)));
        }
        now.set(target);
    }
}
