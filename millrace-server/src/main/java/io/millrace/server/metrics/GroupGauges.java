package io.millrace.server.metrics;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.group.GroupRebalances;
import io.millrace.coordinator.offsets.CommittedOffset;
import io.millrace.metrics.GaugeSource;
import io.millrace.metrics.MillraceMetrics;
import io.millrace.server.partition.LocalPartitions;
import io.millrace.server.partition.Partition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer group gauges, named as the widely used kafka_exporter names them (a Kafka broker has
 * no lag metric; dashboards read these): each group's committed offset and lag per partition,
 * computed at scrape time from the offsets the group coordinator hosted here holds and the high
 * watermark of the partition's log on this node; each classic group's generation, whose
 * changes are its rebalances; and the rebalances of KIP-848 consumer, streams and share groups
 * ({@link GroupRebalances}, counted by the coordinator). Nothing is recorded on the request path.
 *
 * <p>A partition whose log is not on this node (a cluster where the coordinator of the group is
 * not a replica of it) has no lag sample here. Thread-safe: the offsets are read on the
 * coordinator's own threads (its read operations), copied, and waited for with a time limit.
 */
final class GroupGauges {
    private static final Logger log = LoggerFactory.getLogger(GroupGauges.class);
    private static final long SCRAPE_TIMEOUT_MS = 5_000;

    private GroupGauges() {
    }

    static void register(MillraceMetrics metrics, GroupCoordinatorService groups, LocalPartitions partitions) {
        String[] labels = {"consumergroup", "topic", "partition"};
        metrics.gauge("kafka_consumergroup_lag",
                "High watermark minus the group's committed offset, per partition (computed at scrape time)",
                samples -> offsets(groups).forEach((group, offsets) -> offsets.forEach((tp, committed) -> {
                    Optional<Partition> partition = partitions.get(tp);
                    if (partition.isPresent()) {
                        long lag = Math.max(0, partition.get().log().highWatermark() - committed.offset());
                        samples.sample(lag, group, tp.topic(), Integer.toString(tp.partition()));
                    }
                })), labels);
        metrics.gauge("kafka_consumergroup_current_offset", "The group's committed offset, per partition",
                samples -> offsets(groups).forEach((group, offsets) -> offsets.forEach((tp, committed) ->
                        samples.sample(committed.offset(), group, tp.topic(), Integer.toString(tp.partition())))),
                labels);
        metrics.gauge("millrace_group_generation",
                "A classic group's generation: each completed rebalance adds one (changes() counts rebalances)",
                generations(groups), "consumergroup");
        GroupRebalances rebalances = groups.rebalances();
        rebalanceCounter(metrics, "consumer", "KIP-848 consumer", rebalances.consumer());
        rebalanceCounter(metrics, "streams", "KIP-1071 streams", rebalances.streams());
        rebalanceCounter(metrics, "share", "KIP-932 share", rebalances.share());
    }

    /**
     * Kafka's {@code kafka.server:type=group-coordinator-metrics,name=<kind>-group-rebalance-count}:
     * each bump of a group's epoch by a membership, subscription or topic change.
     */
    private static void rebalanceCounter(MillraceMetrics metrics, String kind, String what, LongAdder count) {
        metrics.counterOf("kafka_server_group_coordinator_metrics_" + kind + "_group_rebalance",
                what + " group rebalances (group epoch bumps) of the groups coordinated here",
                samples -> samples.sample(count.sum()));
    }

    /** Every group hosted here with its committed offsets. */
    private static Map<String, Map<TopicPartition, CommittedOffset>> offsets(GroupCoordinatorService groups) {
        Map<String, Map<TopicPartition, CommittedOffset>> result = new HashMap<>();
        try {
            List<String> ids = groupIds(groups);
            List<CompletableFuture<Map<TopicPartition, CommittedOffset>>> reads = new ArrayList<>();
            for (String id : ids) {
                reads.add(groups.read(id, shard -> Map.copyOf(shard.offsets().offsets(id))));
            }
            for (int i = 0; i < ids.size(); i++) {
                result.put(ids.get(i), reads.get(i).get(SCRAPE_TIMEOUT_MS, TimeUnit.MILLISECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Consumer group offsets not read for this scrape: {}", e.toString());
        }
        return result;
    }

    private static GaugeSource generations(GroupCoordinatorService groups) {
        return samples -> {
            try {
                for (String id : groupIds(groups)) {
                    Integer generation = groups.read(id, shard -> {
                        var group = shard.classicGroups().get(id);
                        return group == null ? null : group.generationId();
                    }).get(SCRAPE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    if (generation != null) {
                        samples.sample(generation, id);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("Group generations not read for this scrape: {}", e.toString());
            }
        };
    }

    private static List<String> groupIds(GroupCoordinatorService groups) throws Exception {
        ListGroupsResponseData listed = groups.listGroups(List.of(), List.of())
                .get(SCRAPE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<String> ids = new ArrayList<>();
        listed.groups().forEach(g -> ids.add(g.groupId()));
        return ids;
    }
}
