package io.millrace.it;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;

/**
 * A kafka-clients consumer in a group, polling on its own thread, as an application would: every
 * record it is given is "processed" (counted in a shared {@link Tally}), and it commits what it
 * has processed when partitions are revoked (and so on close), never otherwise. A record
 * processed twice or never across a hand-off shows in the tally.
 *
 * <p>Thread-safety: the consumer is used only by its thread; {@link #assignment()} and the tally
 * may be read from any thread.
 */
final class TallyingConsumer implements AutoCloseable {
    /** How often each record was processed, by any consumer of a group. */
    static final class Tally {
        private final Map<TopicPartition, Map<Long, AtomicInteger>> counts = new ConcurrentHashMap<>();
        private final AtomicInteger total = new AtomicInteger();

        void add(ConsumerRecord<?, ?> record) {
            counts.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new ConcurrentHashMap<>())
                    .computeIfAbsent(record.offset(), o -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
        }

        int total() {
            return total.get();
        }

        /** Distinct records processed. */
        int distinct() {
            return counts.values().stream().mapToInt(Map::size).sum();
        }

        /** Records processed more than once, as "topic-partition@offset×count". */
        List<String> duplicates() {
            return counts.entrySet().stream().flatMap(e -> e.getValue().entrySet().stream()
                    .filter(o -> o.getValue().get() > 1)
                    .map(o -> e.getKey() + "@" + o.getKey() + "x" + o.getValue().get())).toList();
        }

        boolean contains(TopicPartition partition, long offset) {
            Map<Long, AtomicInteger> offsets = counts.get(partition);
            return offsets != null && offsets.containsKey(offset);
        }
    }

    private final String name;
    private final Thread thread;
    private final Tally tally;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Next offset to process, per partition this consumer has processed records of (its thread only). */
    private final Map<TopicPartition, Long> processedOffsets = new HashMap<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean stopping;
    private volatile boolean subscribed;

    private TallyingConsumer(String name, Tally tally, Runnable body) {
        this.name = name;
        this.tally = tally;
        this.thread = Thread.ofPlatform().name("tallying-consumer-" + name).daemon().unstarted(body);
    }

    /** Starts a consumer of {@code topics} in {@code groupId} with {@code group.protocol=protocol}. */
    static TallyingConsumer start(String name, String bootstrap, String groupId, String protocol, Collection<String> topics,
                               Tally tally) {
        TallyingConsumer[] self = new TallyingConsumer[1];
        self[0] = new TallyingConsumer(name, tally, () -> self[0].run(bootstrap, groupId, protocol,
                consumer -> consumer.subscribe(topics, self[0].listener(consumer))));
        self[0].thread.start();
        return self[0];
    }

    /** Starts a consumer with a KIP-848 broker-side regex subscription (consumer protocol only). */
    static TallyingConsumer startPattern(String name, String bootstrap, String groupId, String regex, Tally tally) {
        TallyingConsumer[] self = new TallyingConsumer[1];
        self[0] = new TallyingConsumer(name, tally, () -> self[0].run(bootstrap, groupId, "consumer",
                consumer -> consumer.subscribe(new SubscriptionPattern(regex), self[0].listener(consumer))));
        self[0].thread.start();
        return self[0];
    }

    /** The consumer settings of a group member; the classic protocol gets test-sized timeouts. */
    static Map<String, Object> groupProps(String name, String groupId, String protocol) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        return props;
    }

    String name() {
        return name;
    }

    /**
     * Waits until every partition of {@code topic} is owned by exactly one of {@code members} and
     * each member owns at least one (there are at least as many partitions as members).
     */
    static void awaitEachPartitionOwnedOnce(String topic, int partitions, List<TallyingConsumer> members,
                                            Duration timeout) {
        Await.until("each of " + partitions + " partitions of " + topic + " owned by exactly one of "
                + members.stream().map(TallyingConsumer::name).toList(), timeout, () -> {
                    Set<TopicPartition> seen = new HashSet<>();
                    for (TallyingConsumer member : members) {
                        Set<TopicPartition> owned = member.assignment();
                        if (owned.isEmpty()) {
                            return false;
                        }
                        for (TopicPartition partition : owned) {
                            if (!partition.topic().equals(topic) || !seen.add(partition)) {
                                return false;
                            }
                        }
                    }
                    return seen.size() == partitions;
                });
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    boolean isSubscribed() {
        return subscribed;
    }

    /**
     * As {@link #close()}, but the commit made while closing may be refused for a stale member
     * epoch: a rebalance (another member leaving) raced the close. Kafka brokers before KIP-1251
     * refuse it the same way; tests that only count what each group received use this.
     */
    public void closeToleratingStaleCommit() {
        try {
            close();
        } catch (AssertionError e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof org.apache.kafka.clients.consumer.CommitFailedException)) {
                cause = cause.getCause();
            }
            if (cause == null) {
                throw e;
            }
            System.out.println("Consumer " + name + ": the commit on close was refused (" + cause.getMessage() + ")");
        }
    }

    /** Stops polling and closes the consumer (which revokes, so commits, and leaves the group). */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("Consumer " + name + " did not stop");
        }
        if (failure.get() != null) {
            throw new AssertionError("Consumer " + name + " failed", failure.get());
        }
    }

    private void run(String bootstrap, String groupId, String protocol,
                     java.util.function.Consumer<KafkaConsumer<String, String>> subscribe) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, groupProps(name, groupId, protocol))) {
            subscribe.accept(consumer);
            subscribed = true;
            while (!stopping) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    tally.add(record);
                    processedOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                assignment = Set.copyOf(consumer.assignment());
            }
            consumer.close(Duration.ofSeconds(20));
            assignment = Set.of();
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private ConsumerRebalanceListener listener(KafkaConsumer<String, String> consumer) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    Long next = processedOffsets.remove(partition);
                    if (next != null) {
                        commit.put(partition, new OffsetAndMetadata(next));
                    }
                }
                if (!commit.isEmpty()) {
                    consumer.commitSync(commit, Clients.CALL_TIMEOUT);
                }
                Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
                kept.removeAll(partitions);
                assignment = Set.copyOf(kept);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignment = Set.copyOf(consumer.assignment());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                partitions.forEach(processedOffsets::remove);
                assignment = Set.of();
            }
        };
    }
}
