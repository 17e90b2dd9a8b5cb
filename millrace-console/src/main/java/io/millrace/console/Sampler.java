package io.millrace.console;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the cluster every interval through the Admin client (log-end offsets, log dir sizes,
 * consumer groups' committed offsets) and records an {@link Observation} in the {@link History}.
 *
 * <p>Threads: one daemon thread, {@code console-sampler}, runs the passes one after another; a
 * pass that fails (cluster down) is logged once per distinct failure and retried next interval.
 */
final class Sampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);

    private final Admin admin;
    private final History history;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread;
    private String lastFailure;

    Sampler(Admin admin, History history, LongSupplier clock) {
        this.admin = admin;
        this.history = history;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    void start(long firstDelayMs, long intervalMs) {
        thread.scheduleWithFixedDelay(this::sampleQuietly, firstDelayMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void sampleQuietly() {
        try {
            history.record(observe());
            if (lastFailure != null) {
                LOG.info("Console sampler reaches the cluster again");
                lastFailure = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String failure = AdminCalls.describe(e);
            if (!failure.equals(lastFailure)) {
                LOG.warn("Console sampler cannot read the cluster: {}", failure);
                lastFailure = failure;
            }
        }
    }

    /** One pass: what the cluster looks like now. */
    Observation observe() throws Exception {
        long now = clock.getAsLong();
        Collection<String> names = AdminCalls.get(admin.listTopics().names());
        Map<String, TopicDescription> topics = names.isEmpty() ? Map.of()
                : AdminCalls.get(admin.describeTopics(names).allTopicNames());
        Map<TopicPartition, Long> ends =
                PartitionFigures.offsets(admin, PartitionFigures.partitions(topics.values()), false);
        return new Observation(now, ends, PartitionFigures.sizes(admin), committedOffsets());
    }

    private Map<String, Map<TopicPartition, Long>> committedOffsets() throws Exception {
        List<String> groups = AdminCalls.consumerGroupIds(admin);
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> all =
                AdminCalls.get(admin.listConsumerGroupOffsets(specs).all());
        all.forEach((group, offsets) -> {
            Map<TopicPartition, Long> plain = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    plain.put(tp, om.offset());
                }
            });
            committed.put(group, plain);
        });
        return committed;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
