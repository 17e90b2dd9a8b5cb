package io.millrace.console;

import io.millrace.console.HttpFront.Response;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** The group list and one consumer group's page (members, assignment, lag per partition, lag plot). Stateless. */
final class GroupPages {

    private final Admin admin;
    private final boolean actionsEnabled;

    GroupPages(Admin admin, boolean actionsEnabled) {
        this.admin = admin;
        this.actionsEnabled = actionsEnabled;
    }

    Response list() throws Exception {
        Html html = new Html("Consumer groups", actionsEnabled);
        Collection<GroupListing> groups = AdminCalls.get(admin.listGroups().all());
        List<String> consumerGroups = AdminCalls.consumerGroupIds(admin);
        Map<String, Long> lags = new HashMap<>();
        if (!consumerGroups.isEmpty()) {
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            consumerGroups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                    AdminCalls.get(admin.listConsumerGroupOffsets(specs).all());
            TreeSet<TopicPartition> partitions = new TreeSet<>(Comparator.comparing(TopicPartition::toString));
            committed.values().forEach(m -> partitions.addAll(m.keySet()));
            Map<TopicPartition, Long> ends = PartitionFigures.offsets(admin, partitions, false);
            committed.forEach((g, offsets) -> lags.put(g, totalLag(offsets, ends)));
        }
        html.head("Group", "Type", "State", "Protocol", "Lag");
        groups.stream().sorted(Comparator.comparing(GroupListing::groupId)).forEach(g -> {
            html.raw("<tr><td>");
            if (consumerGroups.contains(g.groupId())) {
                html.link("/group", "id", g.groupId(), g.groupId());
            } else {
                html.text(g.groupId()); // a share or streams group: no consumer group page
            }
            html.raw("</td><td>")
                    .text(g.type().map(t -> t.toString().toLowerCase()).orElse("")).raw("</td><td>")
                    .text(g.groupState().map(s -> s.toString().toLowerCase()).orElse("")).raw("</td><td>")
                    .text(g.protocol()).raw("</td><td>").text(lags.containsKey(g.groupId()) ? lags.get(g.groupId()) : "")
                    .raw("</td></tr>");
        });
        html.endTable();
        return Response.html(200, html.finish());
    }

    Response one(String id) throws Exception {
        Html html = new Html("Consumer group " + id, actionsEnabled);
        ConsumerGroupDescription group;
        try {
            group = AdminCalls.get(admin.describeConsumerGroups(List.of(id)).all()).get(id);
        } catch (GroupIdNotFoundException e) {
            return Response.html(404, html.error("No consumer group " + id).finish());
        }
        Map<TopicPartition, OffsetAndMetadata> committed = AdminCalls.get(admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata());
        Map<TopicPartition, String> owners = new HashMap<>();
        for (MemberDescription m : group.members()) {
            m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m.clientId() + " (" + m.host() + ")"));
        }
        TreeSet<TopicPartition> partitions = new TreeSet<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        committed.forEach((tp, om) -> {
            if (om != null) {
                partitions.add(tp);
            }
        });
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> ends = PartitionFigures.offsets(admin, partitions, false);
        long total = totalLag(committed, ends);
        html.raw("<p>State <b>").text(group.groupState().toString().toLowerCase()).raw("</b>, type ")
                .text(group.type().toString().toLowerCase()).raw(", coordinator ")
                .text(group.coordinator() == null ? "unknown" : "broker " + group.coordinator().id())
                .raw(group.partitionAssignor().isEmpty() ? "" : ", assignor ").text(group.partitionAssignor())
                .raw(". Total lag <b id=\"total-lag\">").text(total).raw("</b> messages.</p>");
        html.raw("<h2>Lag over the last hour</h2>");
        html.chart("lag-chart", "/api/lag?group=" + Html.url(id));
        html.raw("<h2>Members</h2>").head("Member", "Client", "Host", "Assigned partitions");
        for (MemberDescription m : group.members()) {
            html.row(m.consumerId(), m.clientId(), m.host(), m.assignment().topicPartitions().stream()
                    .map(TopicPartition::toString).sorted().toList());
        }
        if (group.members().isEmpty()) {
            html.raw("<tr><td colspan=\"4\">none: no consumer is in the group</td></tr>");
        }
        html.endTable();
        html.raw("<h2>Offsets and lag</h2>").head("Topic", "Partition", "Committed offset", "End offset", "Lag", "Owner");
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata om = committed.get(tp);
            Long end = ends.get(tp);
            html.row(tp.topic(), tp.partition(), om == null ? "none" : om.offset(), end == null ? "?" : end,
                    om == null || end == null ? "" : Math.max(0, end - om.offset()), owners.getOrDefault(tp, ""));
        }
        html.endTable();
        if (actionsEnabled) {
            resetForm(html, id, partitions);
        }
        return Response.html(200, html.finish());
    }

    private static void resetForm(Html html, String id, Collection<TopicPartition> partitions) {
        html.raw("<h2>Reset offsets</h2><p>Only an empty group (no members) can be reset.</p>"
                + "<form method=\"post\" action=\"/actions/reset-offsets\"><input type=\"hidden\" name=\"group\" value=\"")
                .text(id).raw("\"><label>Topic <select name=\"topic\">");
        new TreeSet<>(partitions.stream().map(TopicPartition::topic).toList())
                .forEach(t -> html.raw("<option>").text(t).raw("</option>"));
        html.raw("</select></label> <label>To <select name=\"to\"><option>earliest</option><option>latest</option>"
                + "</select></label> <button class=\"danger\">Reset</button></form>");
    }

    static long totalLag(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        long total = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            Long end = ends.get(e.getKey());
            if (e.getValue() != null && end != null) {
                total += Math.max(0, end - e.getValue().offset());
            }
        }
        return total;
    }
}
