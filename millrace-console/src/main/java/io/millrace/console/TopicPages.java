package io.millrace.console;

import io.millrace.console.HttpFront.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The topic list and one topic's page (partitions, leaders, ISR, offsets, sizes, configs, throughput). Stateless. */
final class TopicPages {

    private final Admin admin;
    private final boolean actionsEnabled;

    TopicPages(Admin admin, boolean actionsEnabled) {
        this.admin = admin;
        this.actionsEnabled = actionsEnabled;
    }

    Response list() throws Exception {
        Html html = new Html("Topics", actionsEnabled);
        Collection<String> names = AdminCalls.get(admin.listTopics().names());
        Map<String, TopicDescription> topics = new TreeMap<>(names.isEmpty() ? Map.of()
                : AdminCalls.get(admin.describeTopics(names).allTopicNames()));
        List<TopicPartition> partitions = PartitionFigures.partitions(topics.values());
        Map<TopicPartition, Long> starts = PartitionFigures.offsets(admin, partitions, true);
        Map<TopicPartition, Long> ends = PartitionFigures.offsets(admin, partitions, false);
        Map<TopicPartition, Long> sizes = PartitionFigures.sizes(admin);
        Map<String, Config> configs = configs(topics.keySet());
        html.head("Topic", "Partitions", "Replicas", "Under-replicated", "Messages", "Size", "retention.ms", "cleanup.policy");
        for (TopicDescription t : topics.values()) {
            long messages = 0;
            long size = 0;
            int under = 0;
            for (TopicPartitionInfo p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p.partition());
                messages += ends.getOrDefault(tp, 0L) - starts.getOrDefault(tp, 0L);
                size += sizes.getOrDefault(tp, 0L);
                under += p.isr().size() < p.replicas().size() ? 1 : 0;
            }
            Config config = configs.get(t.name());
            html.raw("<tr><td>").link("/topic", "name", t.name(), t.name()).raw("</td>");
            html.raw("<td>").text(t.partitions().size()).raw("</td><td>")
                    .text(t.partitions().isEmpty() ? 0 : t.partitions().get(0).replicas().size()).raw("</td><td>")
                    .text(under).raw("</td><td>").text(messages).raw("</td><td>").text(PartitionFigures.bytes(size))
                    .raw("</td><td>").text(value(config, "retention.ms")).raw("</td><td>")
                    .text(value(config, "cleanup.policy")).raw("</td></tr>");
        }
        html.endTable();
        if (actionsEnabled) {
            html.raw("<h2>Create a topic</h2><form method=\"post\" action=\"/actions/create-topic\">")
                    .raw("<label>Name <input name=\"name\" required></label> ")
                    .raw("<label>Partitions <input name=\"partitions\" type=\"number\" min=\"1\" value=\"1\"></label> ")
                    .raw("<label>Replication factor <input name=\"replicationFactor\" placeholder=\"broker default\"></label> ")
                    .raw("<button>Create</button></form>");
        }
        return Response.html(200, html.finish());
    }

    Response one(String name) throws Exception {
        TopicDescription topic;
        try {
            topic = AdminCalls.get(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
        } catch (UnknownTopicOrPartitionException e) {
            return Response.html(404, new Html("Topic " + name, actionsEnabled).error("No topic " + name).finish());
        }
        Html html = new Html("Topic " + name, actionsEnabled);
        List<TopicPartition> partitions = PartitionFigures.partitions(List.of(topic));
        Map<TopicPartition, Long> starts = PartitionFigures.offsets(admin, partitions, true);
        Map<TopicPartition, Long> ends = PartitionFigures.offsets(admin, partitions, false);
        Map<TopicPartition, Long> sizes = PartitionFigures.sizes(admin);
        html.raw("<p>Topic id <code>").text(topic.topicId()).raw("</code> · ")
                .link("/messages", "topic", name, "Browse messages").raw("</p>");
        html.raw("<h2>Partitions</h2>").head("Partition", "Leader", "Replicas", "In-sync replicas", "Start offset",
                "End offset", "Size");
        for (TopicPartitionInfo p : topic.partitions()) {
            TopicPartition tp = new TopicPartition(name, p.partition());
            html.row(p.partition(), p.leader() == null || p.leader().isEmpty() ? "none (offline)" : p.leader().id(),
                    ids(p.replicas()), ids(p.isr()), starts.getOrDefault(tp, 0L), ends.getOrDefault(tp, 0L),
                    sizes.containsKey(tp) ? PartitionFigures.bytes(sizes.get(tp)) : "?");
        }
        html.endTable();
        html.raw("<h2>Throughput</h2><p>Messages per second in (log-end offset growth) and out (consumer groups' "
                + "committed offset growth), sampled by the console.</p>");
        html.chart("throughput-chart", "/api/throughput?series=messagesIn,messagesOut&topic=" + Html.url(name));
        html.raw("<h2>Configuration</h2>").head("Key", "Value", "Source");
        Config config = configs(List.of(name)).get(name);
        if (config != null) {
            config.entries().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                    .forEach(e -> html.row(e.name(), e.isSensitive() ? "(hidden)" : e.value(), source(e)));
        }
        html.endTable();
        if (actionsEnabled) {
            html.raw("<h2>Delete</h2><form method=\"post\" action=\"/actions/delete-topic\" "
                    + "onsubmit=\"return confirm('Delete this topic and all its messages?')\">"
                    + "<input type=\"hidden\" name=\"name\" value=\"").text(name)
                    .raw("\"><button class=\"danger\">Delete topic</button></form>");
        }
        return Response.html(200, html.finish());
    }

    private Map<String, Config> configs(Collection<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> resources = new ArrayList<>();
        topics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        Map<String, Config> byName = new TreeMap<>();
        try {
            AdminCalls.get(admin.describeConfigs(resources).all()).forEach((r, c) -> byName.put(r.name(), c));
        } catch (Exception e) {
            // configs are a detail of these pages: without them (no DescribeConfigs access) the rest still shows
        }
        return byName;
    }

    private static String value(Config config, String key) {
        ConfigEntry e = config == null ? null : config.get(key);
        return e == null || e.value() == null ? "" : e.value();
    }

    private static String source(ConfigEntry e) {
        return e.isDefault() ? "default" : e.source().name().toLowerCase().replace('_', ' ');
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(", "));
    }
}
