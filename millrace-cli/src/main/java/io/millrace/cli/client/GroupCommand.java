package io.millrace.cli.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace group list|describe|reset-offsets|delete}: consumer groups through the Admin API. */
@Command(name = "group", mixinStandardHelpOptions = true, description = "List, describe (with lag), reset and delete consumer groups.",
        subcommands = {GroupCommand.ListGroups.class, GroupCommand.Describe.class, GroupCommand.ResetOffsets.class,
                GroupCommand.Delete.class},
        synopsisSubcommandLabel = "(list | describe | reset-offsets | delete)")
final class GroupCommand {
    private static final Comparator<TopicPartition> BY_TOPIC_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Command(name = "list", description = "List groups with their type and state.", mixinStandardHelpOptions = true)
    static final class ListGroups extends ClientCommand {
        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                List<GroupListing> groups = new ArrayList<>(await(admin.listGroups().all(), "list groups"));
                groups.sort(Comparator.comparing(GroupListing::groupId));
                for (GroupListing g : groups) {
                    rows.add(Output.row("group", g.groupId(),
                            "type", g.type().map(Object::toString).orElse("-"),
                            "state", g.groupState().map(Object::toString).orElse("-"),
                            "protocol", g.protocol()));
                }
                print(rows);
            }
            return 0;
        }
    }

    @Command(name = "describe", description = "Committed offset, end offset, lag and owner of each partition.",
            mixinStandardHelpOptions = true)
    static final class Describe extends ClientCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                ConsumerGroupDescription description = await(admin.describeConsumerGroups(List.of(group)).all(),
                        "describe group " + group).get(group);
                Map<TopicPartition, OffsetAndMetadata> committed = await(
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "offsets of group " + group);
                Map<TopicPartition, MemberDescription> owners = new HashMap<>();
                for (MemberDescription m : description.members()) {
                    m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m));
                }
                Map<TopicPartition, OffsetAndMetadata> shown = new TreeMap<>(BY_TOPIC_PARTITION);
                committed.forEach((tp, o) -> shown.put(tp, o));
                owners.keySet().forEach(tp -> shown.putIfAbsent(tp, null));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = shown.isEmpty() ? Map.of()
                        : await(admin.listOffsets(shown.keySet().stream()
                                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all(), "end offsets");
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : shown.entrySet()) {
                    TopicPartition tp = e.getKey();
                    Long offset = e.getValue() == null ? null : e.getValue().offset();
                    long end = ends.get(tp).offset();
                    MemberDescription owner = owners.get(tp);
                    rows.add(Output.row("group", group, "topic", tp.topic(), "partition", tp.partition(),
                            "committed", offset, "end_offset", end, "lag", offset == null ? null : Math.max(0, end - offset),
                            "member", owner == null ? null : owner.consumerId(),
                            "client", owner == null ? null : owner.clientId(),
                            "state", description.groupState().toString()));
                }
                print(rows);
            }
            return 0;
        }
    }

    @Command(name = "reset-offsets", mixinStandardHelpOptions = true,
            description = "Move a group's committed offsets (the group must have no members). Dry run unless --execute.")
    static final class ResetOffsets extends ClientCommand {
        @Parameters(paramLabel = "GROUP")
        String group;
        @Option(names = {"--topic", "-t"}, required = true, description = "The topic whose offsets move.")
        String topic;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
        @Option(names = "--execute", description = "Commit the new offsets (without it, only print them).")
        boolean execute;

        static final class Target {
            @Option(names = "--to-earliest", required = true)
            boolean earliest;
            @Option(names = "--to-latest", required = true)
            boolean latest;
            @Option(names = "--to-offset", required = true, paramLabel = "N")
            Long offset;
            @Option(names = "--to-datetime-ms", required = true, paramLabel = "MS")
            Long timestamp;
        }

        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                Set<TopicPartition> partitions = await(admin.describeTopics(List.of(topic)).allTopicNames(),
                        "describe topic " + topic).get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
                OffsetSpec spec = target.earliest ? OffsetSpec.earliest() : target.latest ? OffsetSpec.latest()
                        : target.timestamp != null ? OffsetSpec.forTimestamp(target.timestamp) : OffsetSpec.latest();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = await(admin.listOffsets(
                        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec))).all(), "list offsets");
                Map<TopicPartition, OffsetAndMetadata> moved = new TreeMap<>(BY_TOPIC_PARTITION);
                for (TopicPartition tp : partitions) {
                    long offset = target.offset != null ? Math.min(target.offset, found.get(tp).offset())
                            : found.get(tp).offset() < 0 ? latest(admin, tp) : found.get(tp).offset();
                    moved.put(tp, new OffsetAndMetadata(offset));
                }
                if (execute) {
                    await(admin.alterConsumerGroupOffsets(group, moved).all(), "reset offsets of group " + group);
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                moved.forEach((tp, o) -> rows.add(Output.row("group", group, "topic", tp.topic(),
                        "partition", tp.partition(), "new_offset", o.offset(), "committed", execute)));
                print(rows);
            }
            return 0;
        }

        private long latest(Admin admin, TopicPartition tp) {
            return await(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all(), "end offset").get(tp).offset();
        }
    }

    @Command(name = "delete", description = "Delete groups (they must have no members).", mixinStandardHelpOptions = true)
    static final class Delete extends ClientCommand {
        @Parameters(paramLabel = "GROUP", arity = "1..*")
        List<String> groups;

        @Override
        public Integer call() {
            try (Admin admin = connection.admin()) {
                await(admin.deleteConsumerGroups(groups).all(), "delete group " + String.join(",", groups));
                out().println("Deleted " + String.join(", ", groups) + ".");
                out().flush();
            }
            return 0;
        }
    }
}
