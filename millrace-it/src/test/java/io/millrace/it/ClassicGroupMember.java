package io.millrace.it;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A classic-protocol group member on its own thread: subscribes, polls, counts every value it
 * processes into a map shared by the group, and commits what it processed after each poll and
 * again when partitions are revoked (so a hand-off loses and repeats nothing). Its assignment,
 * generation and rebalance count are readable from the test thread.
 *
 * <p>{@link #close()} leaves the group (a static member keeps its place, as in Kafka);
 * {@link #kill()} stops without leaving, as a crashed process would, so its session must expire.
 */
final class ClassicGroupMember implements AutoCloseable {
    /** Classic-protocol settings for quick rebalances in tests. */
    static Map<String, Object> fastGroup(String groupId, String assignor) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignorClass(assignor));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 200);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 20_000);
        props.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        return props;
    }

    static String assignorClass(String name) {
        return switch (name) {
            case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
            case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
            case "sticky" -> "org.apache.kafka.clients.consumer.StickyAssignor";
            case "cooperative-sticky" -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
            default -> throw new IllegalArgumentException(name);
        };
    }

    private final KafkaConsumer<String, String> consumer;
    private final ConcurrentMap<String, Integer> processed;
    private final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final AtomicInteger assignedCalls = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean leaveOnClose = true;
    private volatile int generation = -1;

    private ClassicGroupMember(String bootstrap, String topic, Map<String, Object> props,
                               ConcurrentMap<String, Integer> processed) {
        this.consumer = Clients.consumer(bootstrap, props);
        this.processed = processed;
        this.thread = new Thread(() -> run(topic), "classic-member-" + props.get(ConsumerConfig.GROUP_ID_CONFIG));
        thread.setDaemon(true);
    }

    static ClassicGroupMember start(String bootstrap, String topic, Map<String, Object> props,
                                    ConcurrentMap<String, Integer> processed) {
        ClassicGroupMember member = new ClassicGroupMember(bootstrap, topic, props, processed);
        member.thread.start();
        return member;
    }

    Set<TopicPartition> assignment() {
        return Set.copyOf(assignment);
    }

    /** How often partitions were assigned (once per rebalance this member took part in). */
    int assignedCalls() {
        return assignedCalls.get();
    }

    int generation() {
        return generation;
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit();
                    assignment.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignment.addAll(partitions);
                    assignedCalls.incrementAndGet();
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    uncommitted.keySet().removeAll(partitions);
                    assignment.removeAll(partitions);
                }
            });
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    processed.merge(record.value(), 1, Integer::sum);
                    uncommitted.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                commit();
                generation = consumer.groupMetadata().generationId();
            }
            commit();
        } catch (Throwable t) {
            errors.add(t);
        } finally {
            consumer.close(CloseOptions.groupMembershipOperation(leaveOnClose
                    ? CloseOptions.GroupMembershipOperation.DEFAULT
                    : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ofSeconds(10)));
        }
    }

    private void commit() {
        if (uncommitted.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(uncommitted), Duration.ofSeconds(10));
            uncommitted.clear();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    @Override
    public void close() {
        stop(true);
    }

    void kill() {
        stop(false);
    }

    private void stop(boolean leave) {
        if (!thread.isAlive()) {
            return;
        }
        leaveOnClose = leave;
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
