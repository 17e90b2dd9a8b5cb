package io.millrace.coordinator.group;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorShard;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import io.millrace.coordinator.runtime.TransactionMarker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;

/**
 * One {@link GroupCoordinatorShard} driven as the runtime drives it, without threads: a write
 * returns its records, which are appended to an in-memory log and replayed; timers fire when
 * the manual clock passes their deadline; {@link #reload()} builds a fresh shard from the log.
 */
final class ShardHarness {
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
    /** Per offset of {@link #log}: the transactional producer that wrote it, or -1; a marker has a null record. */
    private final List<Long> producers = new ArrayList<>();
    private final Map<Integer, TransactionMarker> markers = new HashMap<>();
    final GroupCoordinatorConfig config;
    final Map<String, TopicsView.TopicInfo> topics = new HashMap<>();
    private final Map<String, Timer> timers = new HashMap<>();
    GroupCoordinatorShard shard;

    private record Timer(long deadline, Supplier<CoordinatorResult<Void>> operation) {
    }

    ShardHarness(GroupCoordinatorConfig config) {
        this.config = config;
        topic("orders", 3);
        topic("payments", 2);
        reload();
    }

    static ShardHarness withDefaults() {
        return new ShardHarness(new GroupCoordinatorConfig(1, 1, 60_000, 1_000, 100, 3_000, 1_000, 60_000, 10));
    }

    void topic(String name, int partitions) {
        topics.put(name, new TopicsView.TopicInfo(name, Uuid.randomUuid(), partitions));
    }

    /** A new shard that replays the whole log, as a restart or a new leader would. */
    void reload() {
        timers.clear();
        CoordinatorTimer timer = new CoordinatorTimer() {
            @Override
            public void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation) {
                timers.put(key, new Timer(now.get() + delayMs, operation));
            }

            @Override
            public void cancel(String key) {
                timers.remove(key);
            }

            @Override
            public boolean isScheduled(String key) {
                return timers.containsKey(key);
            }
        };
        TopicsView view = new TopicsView() {
            @Override
            public Optional<TopicInfo> byName(String name) {
                return Optional.ofNullable(topics.get(name));
            }

            @Override
            public Optional<TopicInfo> byId(Uuid id) {
                return topics.values().stream().filter(t -> t.id().equals(id)).findFirst();
            }

            @Override
            public Collection<TopicInfo> all() {
                return topics.values();
            }
        };
        shard = new GroupCoordinatorShard(new CoordinatorShard.Context(0, timer, time), config, view, GroupTypeConfigs.defaults());
        for (int offset = 0; offset < log.size(); offset++) {
            if (markers.containsKey(offset)) {
                shard.replayEndTransactionMarker(offset, producers.get(offset), (short) 0, markers.get(offset));
            } else {
                shard.replay(offset, producers.get(offset), (short) 0, log.get(offset));
            }
        }
        shard.onLoaded();
    }

    <T> T write(Function<GroupCoordinatorShard, CoordinatorResult<T>> operation) {
        CoordinatorResult<T> result = operation.apply(shard);
        long producerId = result.producer().transactional() ? result.producer().producerId()
                : CoordinatorShard.NO_PRODUCER_ID;
        for (CoordinatorRecord record : result.records()) {
            log.add(record);
            producers.add(producerId);
            shard.replay(log.size() - 1, producerId, result.producer().producerEpoch(), record);
        }
        return result.response();
    }

    /** Appends and replays a COMMIT or ABORT marker of {@code producerId}, as WriteTxnMarkers would. */
    void marker(long producerId, TransactionMarker marker) {
        log.add(null);
        producers.add(producerId);
        markers.put(log.size() - 1, marker);
        shard.replayEndTransactionMarker(log.size() - 1, producerId, (short) 0, marker);
    }

    /** Moves the clock, firing every timer that falls due, in deadline order. */
    void advance(long ms) {
        long target = now.get() + ms;
        while (true) {
            Map.Entry<String, Timer> next = timers.entrySet().stream()
                    .filter(e -> e.getValue().deadline() <= target)
                    .min(Map.Entry.comparingByValue((a, b) -> Long.compare(a.deadline(), b.deadline())))
                    .orElse(null);
            if (next == null) {
                break;
            }
            now.set(Math.max(now.get(), next.getValue().deadline()));
            timers.remove(next.getKey());
            write(s -> next.getValue().operation().get());
        }
        now.set(target);
    }

    static GroupRequestContext context(short version) {
        return new GroupRequestContext("client", "/127.0.0.1", version);
    }
}
