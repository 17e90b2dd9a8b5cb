package io.millrace.console;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Per-partition figures read through the Admin client: offsets at either end, and size on disk. Stateless. */
final class PartitionFigures {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionFigures.class);

    private PartitionFigures() {
    }

    static List<TopicPartition> partitions(Collection<TopicDescription> topics) {
        List<TopicPartition> all = new ArrayList<>();
        topics.forEach(t -> t.partitions().forEach(p -> all.add(new TopicPartition(t.name(), p.partition()))));
        return all;
    }

    /** The log-start ({@code earliest}) or log-end offset of each partition. */
    static Map<TopicPartition, Long> offsets(Admin admin, Collection<TopicPartition> partitions, boolean earliest)
            throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (partitions.isEmpty()) {
            return offsets;
        }
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, earliest ? OffsetSpec.earliest() : OffsetSpec.latest()));
        AdminCalls.get(admin.listOffsets(specs).all()).forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /**
     * Bytes on disk of each partition (its largest replica), from every broker's log dirs; empty
     * when the cluster does not describe log dirs.
     */
    static Map<TopicPartition, Long> sizes(Admin admin) throws Exception {
        List<Integer> brokers = new ArrayList<>();
        for (Node node : AdminCalls.get(admin.describeCluster().nodes())) {
            brokers.add(node.id());
        }
        Map<TopicPartition, Long> sizes = new HashMap<>();
        try {
            for (Map<String, LogDirDescription> dirs : AdminCalls.get(admin.describeLogDirs(brokers).allDescriptions()).values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> r : dir.replicaInfos().entrySet()) {
                        sizes.merge(r.getKey(), r.getValue().size(), Math::max);
                    }
                }
            }
        } catch (Exception e) {
            LOG.debug("describeLogDirs failed; no sizes", e);
        }
        return sizes;
    }

    /** 1536 as "1.5 KiB". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
