package io.millrace.server.metrics;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metrics.MillraceMetrics;
import io.millrace.server.partition.LocalPartitions;
import io.millrace.server.partition.Partition;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The partition gauges Kafka's ReplicaManager, Log, purgatory and controller metrics give,
 * computed when {@code /metrics} is scraped from the partitions' current state (volatile state
 * records, the logs' segment lists), never kept up to date on the request path.
 *
 * <p>Thread-safe: each gauge reads a snapshot of what it walks.
 */
final class PartitionGauges {
    private static final String TOPIC = "topic";
    private static final String PARTITION = "partition";

    private PartitionGauges() {
    }

    static void register(MillraceMetrics metrics, LocalPartitions partitions, Supplier<MetadataImage> image,
                         BooleanSupplier activeController) {
        metrics.gauge("kafka_server_replicamanager_partitioncount", "Partitions with a replica on this broker",
                samples -> samples.sample(partitions.all().size()));
        metrics.gauge("kafka_server_replicamanager_leadercount", "Partitions this broker leads",
                samples -> samples.sample(count(partitions, PartitionGauges::leads)));
        metrics.gauge("kafka_server_replicamanager_underreplicatedpartitions",
                "Partitions led here whose ISR is smaller than their replica set",
                samples -> samples.sample(count(partitions, PartitionGauges::underReplicated)));
        metrics.gauge("kafka_server_replicamanager_underminisrpartitioncount",
                "Partitions led here whose ISR is smaller than min.insync.replicas",
                samples -> samples.sample(count(partitions, PartitionGauges::underMinIsr)));
        metrics.gauge("kafka_server_replicamanager_atminisrpartitioncount",
                "Partitions led here whose ISR is exactly min.insync.replicas",
                samples -> samples.sample(count(partitions, p -> leads(p)
                        && p.state().isr().size() == p.minInsyncReplicas())));
        metrics.gauge("kafka_controller_kafkacontroller_offlinepartitionscount",
                "Partitions without a leader (reported by the active controller, 0 elsewhere)",
                samples -> samples.sample(activeController.getAsBoolean() ? offline(image.get()) : 0));
        metrics.gauge("kafka_controller_kafkacontroller_activecontrollercount",
                "1 on the node that is the active controller, else 0",
                samples -> samples.sample(activeController.getAsBoolean() ? 1 : 0));
        metrics.gauge("kafka_controller_kafkacontroller_globalpartitioncount", "Partitions in the cluster",
                samples -> samples.sample(image.get().topics().stream().mapToInt(TopicImage::partitionCount).sum()));
        metrics.gauge("kafka_server_delayedoperationpurgatory_purgatorysize",
                "Requests waiting: acks=all produces for replication, fetches for data (counted per partition, as Kafka)",
                samples -> {
                    long produce = 0;
                    long fetch = 0;
                    for (Partition partition : partitions.all()) {
                        produce += partition.waitingCommits();
                        fetch += partition.waitingFetches();
                    }
                    samples.sample(produce, "Produce");
                    samples.sample(fetch, "Fetch");
                }, "delayedoperation");
        metrics.gauge("kafka_log_log_size", "Bytes of the partition's log segments on disk",
                samples -> partitions.all().forEach(p -> samples.sample(p.log().sizeInBytes(),
                        p.topicPartition().topic(), Integer.toString(p.topicPartition().partition()))),
                TOPIC, PARTITION);
        metrics.gauge("kafka_log_log_logendoffset", "The partition's log end offset",
                samples -> partitions.all().forEach(p -> samples.sample(p.log().logEndOffset(),
                        p.topicPartition().topic(), Integer.toString(p.topicPartition().partition()))),
                TOPIC, PARTITION);
    }

    private static boolean leads(Partition partition) {
        return partition.isLeader();
    }

    private static boolean underReplicated(Partition partition) {
        return partition.isLeader() && underReplicated(partition.state());
    }

    private static boolean underMinIsr(Partition partition) {
        return partition.isLeader() && underMinIsr(partition.state(), partition.minInsyncReplicas());
    }

    /** As Kafka's: the ISR is smaller than the replica set (counted by the leader only). */
    static boolean underReplicated(PartitionRecord state) {
        return state.isr().size() < state.replicas().size();
    }

    /** As Kafka's: the ISR is smaller than min.insync.replicas (counted by the leader only). */
    static boolean underMinIsr(PartitionRecord state, int minInsyncReplicas) {
        return state.isr().size() < minInsyncReplicas;
    }

    /** Partitions of {@code image} without a leader. */
    static long offline(MetadataImage image) {
        long n = 0;
        for (TopicImage topic : image.topics()) {
            for (PartitionRecord partition : topic.partitions().values()) {
                if (partition.leader() == PartitionRecord.NO_LEADER) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long count(LocalPartitions partitions, java.util.function.Predicate<Partition> test) {
        long n = 0;
        for (Partition partition : partitions.all()) {
            if (test.test(partition)) {
                n++;
            }
        }
        return n;
    }

}
