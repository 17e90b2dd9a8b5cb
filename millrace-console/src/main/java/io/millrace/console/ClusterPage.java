package io.millrace.console;

import io.millrace.console.HttpFront.Response;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** The cluster page: id, brokers, controller, metadata quorum (when served) and partition health. Stateless. */
final class ClusterPage {

    private final Admin admin;
    private final boolean actionsEnabled;

    ClusterPage(Admin admin, boolean actionsEnabled) {
        this.admin = admin;
        this.actionsEnabled = actionsEnabled;
    }

    Response render() throws Exception {
        Html html = new Html("Cluster", actionsEnabled);
        DescribeClusterResult cluster = admin.describeCluster();
        String id = AdminCalls.get(cluster.clusterId());
        Node controller = AdminCalls.get(cluster.controller());
        Collection<Node> nodes = AdminCalls.get(cluster.nodes());
        html.raw("<p>Cluster id <code>").text(id).raw("</code>, controller ")
                .text(controller == null || controller.isEmpty() ? "unknown" : "broker " + controller.id()).raw("</p>");
        html.raw("<h2>Brokers</h2>").head("Id", "Host", "Port", "Rack", "Role");
        nodes.stream().sorted(Comparator.comparingInt(Node::id)).forEach(n -> html.row(n.id(), n.host(), n.port(),
                n.hasRack() ? n.rack() : "", controller != null && n.id() == controller.id() ? "controller" : ""));
        html.endTable();
        health(html);
        quorum(html);
        return Response.html(200, html.finish());
    }

    private void health(Html html) throws Exception {
        Collection<String> names = AdminCalls.get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
        Map<String, TopicDescription> topics = names.isEmpty() ? Map.of()
                : AdminCalls.get(admin.describeTopics(names).allTopicNames());
        int partitions = 0;
        int underReplicated = 0;
        int offline = 0;
        for (TopicDescription t : topics.values()) {
            for (TopicPartitionInfo p : t.partitions()) {
                partitions++;
                if (p.leader() == null || p.leader().isEmpty()) {
                    offline++;
                } else if (p.isr().size() < p.replicas().size()) {
                    underReplicated++;
                }
            }
        }
        html.raw("<h2>Health</h2><p class=\"").raw(offline + underReplicated == 0 ? "ok" : "error").raw("\">")
                .text(topics.size() + " topics, " + partitions + " partitions: " + underReplicated
                        + " under-replicated, " + offline + " offline").raw("</p>");
    }

    private void quorum(Html html) {
        html.raw("<h2>Metadata quorum</h2>");
        QuorumInfo quorum;
        try {
            quorum = AdminCalls.get(admin.describeMetadataQuorum().quorumInfo());
        } catch (Exception e) {
            html.raw("<p>Not available: ").text(AdminCalls.describe(e)).raw("</p>");
            return;
        }
        html.raw("<p>Leader ").text(quorum.leaderId()).raw(", epoch ").text(quorum.leaderEpoch())
                .raw(", high watermark ").text(quorum.highWatermark()).raw("</p>");
        html.head("Replica", "Role", "Log end offset", "Lag");
        for (QuorumInfo.ReplicaState r : quorum.voters()) {
            html.row(r.replicaId(), r.replicaId() == quorum.leaderId() ? "leader" : "voter", r.logEndOffset(),
                    Math.max(0, quorum.highWatermark() - r.logEndOffset()));
        }
        for (QuorumInfo.ReplicaState r : quorum.observers()) {
            html.row(r.replicaId(), "observer", r.logEndOffset(), Math.max(0, quorum.highWatermark() - r.logEndOffset()));
        }
        html.endTable();
    }
}
