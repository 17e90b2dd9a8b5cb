package io.millrace.bench.workload;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Creates and deletes the benchmark's topics through the Admin API, outside every timed
 * section. Not thread-safe (one per broker run).
 */
public final class Topics implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;
    private static final long POLL_MILLIS = 20;

    private final Admin admin;

    public Topics(String bootstrap) {
        this.admin = Clients.admin(bootstrap);
    }

    /**
     * Creates the topic (replication factor 1) and waits until every partition has a leader and
     * that leader serves ListOffsets for it. A broker's metadata can name a leader a moment before
     * the leader has opened the partition; producing into that moment is a start-up transient we
     * do not measure (and an idempotent kafka-clients 4.4 producer sent into it against Kafka
     * 4.4 was seen stuck retrying OUT_OF_ORDER_SEQUENCE_NUMBER).
     */
    public List<TopicPartition> create(String topic, int partitions) throws Exception {
        return create(topic, partitions, 1);
    }

    /** As {@link #create(String, int)}, with {@code replicationFactor} replicas of every partition. */
    public List<TopicPartition> create(String topic, int partitions, int replicationFactor) throws Exception {
        return create(topic, partitions, replicationFactor, java.util.Map.of());
    }

    /** As {@link #create(String, int, int)}, with topic configs (e.g. {@code flush.messages}). */
    public List<TopicPartition> create(String topic, int partitions, int replicationFactor,
                                       java.util.Map<String, String> configs) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) replicationFactor).configs(configs))).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // A creation slower than the admin client's request timeout is retried by the client, and
            // the retry finds the topic its first attempt created (the benchmark's topic names are
            // fresh, so an existing one is ours): wait for its leaders as for a new one.
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
        return awaitLeaders(topic, partitions);
    }

    /** Waits until all {@code partitions} of {@code topic} have a leader that serves ListOffsets for them. */
    public List<TopicPartition> awaitLeaders(String topic, int partitions) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS).toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
                if (description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    List<TopicPartition> tps = description.partitions().stream().map(TopicPartitionInfo::partition)
                            .map(p -> new TopicPartition(topic, p)).toList();
                    admin.listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                            .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return tps;
                }
            } catch (ExecutionException e) {
                // UnknownTopicOrPartition or NotLeaderOrFollower while the creation propagates: poll again.
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Partitions of " + topic + " have no leader after " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Waits until {@code brokers} brokers are registered, calling {@code stillStarting} between
     * polls (it throws when a node has exited, so a failed start is reported at once).
     */
    public void awaitBrokers(int brokers, Runnable stillStarting) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS * 2).toNanos();
        while (true) {
            try {
                if (admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size() >= brokers) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // no node answering yet: poll again
            }
            stillStarting.run();
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(brokers + " brokers not registered after " + TIMEOUT_SECONDS * 2 + " s");
            }
            Thread.sleep(POLL_MILLIS * 10);
        }
    }

    public void delete(String topic) throws Exception {
        admin.deleteTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }
}
