package io.millrace.cli.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace topic create|list|describe|alter|delete}, through the Admin API. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Create, list, describe, alter and delete topics.",
        subcommands = {TopicCommand.Create.class, TopicCommand.ListTopics.class, TopicCommand.Describe.class,
                TopicCommand.Alter.class, TopicCommand.Delete.class},
        synopsisSubcommandLabel = "(create | list | describe | alter | delete)")
final class TopicCommand {

    @Command(name = "create", description = "Create a topic.", mixinStandardHelpOptions = true)
    static final class Create extends ClientCommand {
        @Parameters(paramLabel = "TOPIC")
        String topic;
        @Option(names = {"--partitions", "-p"}, description = "Partitions (default: the broker's num.partitions).")
        Integer partitions;
        @Option(names = {"--replication-factor", "-r"}, description = "Replicas (default: the broker's default.replication.factor).")
        Short replicationFactor;
        @Option(names = {"--config", "-c"}, paramLabel = "KEY=VALUE", description = "A topic config, repeatable.")
        Map<String, String> configs = new TreeMap<>();
        @Option(names = "--if-not-exists", description = "No error if the topic exists.")
        boolean ifNotExists;

        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                if (ifNotExists && await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(),
                        "list topics").contains(topic)) {
                    return 0;
                }
                NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                        .configs(configs);
                await(admin.createTopics(List.of(newTopic)).all(), "create topic " + topic);
                out().println("Created topic " + topic + ".");
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List topics.", mixinStandardHelpOptions = true)
    static final class ListTopics extends ClientCommand {
        @Option(names = "--internal", description = "Include internal topics (__consumer_offsets, ...).")
        boolean internal;

        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                Set<String> names = await(admin.listTopics(new ListTopicsOptions().listInternal(internal)).names(),
                        "list topics");
                Map<String, TopicDescription> described = names.isEmpty() ? Map.of()
                        : await(admin.describeTopics(names).allTopicNames(), "describe topics");
                List<Map<String, Object>> rows = new ArrayList<>();
                for (TopicDescription d : new TreeMap<>(described).values()) {
                    rows.add(Output.row("topic", d.name(), "partitions", d.partitions().size(),
                            "replicas", d.partitions().isEmpty() ? 0 : d.partitions().getFirst().replicas().size(),
                            "internal", d.isInternal()));
                }
                print(rows);
            }
            return 0;
        }
    }

    @Command(name = "describe", description = "Partitions (leader, replicas, ISR, end offset) and configs of topics.",
            mixinStandardHelpOptions = true)
    static final class Describe extends ClientCommand {
        @Parameters(paramLabel = "TOPIC", arity = "1..*")
        List<String> topics;

        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                Map<String, TopicDescription> described = await(admin.describeTopics(topics).allTopicNames(),
                        "describe topic " + String.join(",", topics));
                Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(java.util.Comparator
                        .comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
                described.values().forEach(d -> d.partitions().forEach(
                        p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                var ends = await(admin.listOffsets(latest).all(), "list end offsets");
                List<Map<String, Object>> rows = new ArrayList<>();
                for (String topic : topics) {
                    TopicDescription d = described.get(topic);
                    Map<String, String> configs = nonDefaultConfigs(admin, topic);
                    for (TopicPartitionInfo p : d.partitions()) {
                        rows.add(Output.row("topic", topic, "partition", p.partition(),
                                "leader", p.leader() == null ? "none" : String.valueOf(p.leader().id()),
                                "replicas", ids(p.replicas()), "isr", ids(p.isr()),
                                "end_offset", ends.get(new TopicPartition(topic, p.partition())).offset(),
                                "configs", configs));
                    }
                }
                print(rows);
            }
            return 0;
        }

        private Map<String, String> nonDefaultConfigs(Admin admin, String topic) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = await(admin.describeConfigs(List.of(resource)).all(), "describe configs of " + topic)
                    .get(resource);
            return config.entries().stream()
                    .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .collect(Collectors.toMap(ConfigEntry::name, e -> e.value() == null ? "" : e.value(),
                            (a, b) -> a, TreeMap::new));
        }

        private static String ids(Collection<Node> nodes) {
            return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(","));
        }
    }

    @Command(name = "alter", description = "Add partitions, set or delete topic configs.", mixinStandardHelpOptions = true)
    static final class Alter extends ClientCommand {
        @Parameters(paramLabel = "TOPIC")
        String topic;
        @Option(names = {"--partitions", "-p"}, description = "The new (larger) partition count.")
        Integer partitions;
        @Option(names = {"--config", "-c"}, paramLabel = "KEY=VALUE", description = "Set a topic config, repeatable.")
        Map<String, String> set = new TreeMap<>();
        @Option(names = "--delete-config", paramLabel = "KEY", description = "Back to the default, repeatable.")
        List<String> delete = new ArrayList<>();

        @Override
        public Integer call() {
            if (partitions == null && set.isEmpty() && delete.isEmpty()) {
                throw new CliException("topic alter needs --partitions, --config or --delete-config");
            }
            try (Admin admin = connection.admin()) {
                if (partitions != null) {
                    await(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all(),
                            "add partitions to " + topic);
                }
                if (!set.isEmpty() || !delete.isEmpty()) {
                    List<AlterConfigOp> ops = new ArrayList<>();
                    set.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                    delete.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
                    await(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                            .all(), "alter configs of " + topic);
                }
                out().println("Altered topic " + topic + ".");
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete topics.", mixinStandardHelpOptions = true)
    static final class Delete extends ClientCommand {
        @Parameters(paramLabel = "TOPIC", arity = "1..*")
        List<String> topics;

        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                await(admin.deleteTopics(topics).all(), "delete topic " + String.join(",", topics));
                out().println("Deleted " + String.join(", ", topics) + ".");
                out().flush();
            }
            return 0;
        }
    }
}
