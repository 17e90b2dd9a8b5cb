package io.millrace.cli.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;

/**
 * {@code millrace cluster status}: the brokers, the active controller, the metadata quorum
 * (DescribeQuorum) and every partition that is not fully replicated or has no leader. Exit code
 * 0 when every partition is fully replicated, 3 when some are not (so a script can wait on it).
 */
@Command(name = "status", description = "Brokers, controller, quorum, and partitions not fully replicated.",
        mixinStandardHelpOptions = true)
final class ClusterStatusCommand extends ClientCommand {
    static final int NOT_FULLY_REPLICATED = 3;

    @Override
    public Integer call() {
        try (Admin admin = connection.admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            Collection<Node> brokers = await(cluster.nodes(), "describe cluster");
            Node controller = await(cluster.controller(), "describe cluster");
            String clusterId = await(cluster.clusterId(), "describe cluster");
            QuorumInfo quorum = await(admin.describeMetadataQuorum().quorumInfo(), "describe the metadata quorum");
            Set<String> names = await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
            Map<String, TopicDescription> topics = names.isEmpty() ? Map.of()
                    : await(admin.describeTopics(names).allTopicNames(), "describe topics");
            List<Map<String, Object>> unhealthy = new ArrayList<>();
            int partitions = 0;
            for (TopicDescription t : topics.values()) {
                for (TopicPartitionInfo p : t.partitions()) {
                    partitions++;
                    if (p.leader() == null || p.leader().isEmpty() || p.isr().size() < p.replicas().size()) {
                        unhealthy.add(Output.row("topic", t.name(), "partition", p.partition(),
                                "leader", p.leader() == null || p.leader().isEmpty() ? null : p.leader().id(),
                                "replicas", p.replicas().stream().map(Node::id).toList(),
                                "isr", p.isr().stream().map(Node::id).toList()));
                    }
                }
            }
            List<Object> voters = new ArrayList<>();
            quorum.voters().forEach(v -> voters.add(Output.row("id", v.replicaId(), "log_end_offset", v.logEndOffset())));
            Map<String, Object> status = Output.row("cluster_id", clusterId,
                    "brokers", brokers.stream().map(n -> n.id() + "@" + n.host() + ":" + n.port()).sorted().toList(),
                    "controller", controller == null ? null : controller.id(),
                    "quorum_leader", quorum.leaderId(), "quorum_epoch", quorum.leaderEpoch(),
                    "quorum_high_watermark", quorum.highWatermark(), "voters", voters,
                    "topics", topics.size(), "partitions", partitions,
                    "not_fully_replicated", unhealthy);
            if (format == Output.Format.JSON) {
                out().println(Output.json(status));
            } else {
                status.forEach((k, v) -> {
                    if (!k.equals("not_fully_replicated")) {
                        out().println(String.format("%-22s %s", k, v instanceof String s ? s : Output.json(v)));
                    }
                });
                out().println(String.format("%-22s %d", "not_fully_replicated", unhealthy.size()));
                if (!unhealthy.isEmpty()) {
                    out().println();
                    Output.print(out(), Output.Format.TABLE, unhealthy);
                }
            }
            out().flush();
            return unhealthy.isEmpty() ? 0 : NOT_FULLY_REPLICATED;
        }
    }
}
