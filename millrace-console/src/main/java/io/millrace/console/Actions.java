package io.millrace.console;

import io.millrace.console.HttpFront.Request;
import io.millrace.console.HttpFront.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The changes the console can make when actions are enabled: create a topic, delete a topic,
 * reset a group's offsets on a topic to the earliest or latest. Each is one Admin call, so the
 * cluster decides (authorization, a non-empty group, a bad replication factor) and its error is
 * shown. Stateless.
 */
final class Actions {

    private final Admin admin;

    Actions(Admin admin) {
        this.admin = admin;
    }

    Response handle(Request request) {
        try {
            return switch (request.path()) {
                case "/actions/create-topic" -> create(request);
                case "/actions/delete-topic" -> delete(request);
                case "/actions/reset-offsets" -> reset(request);
                default -> Response.html(404, new Html("Not found", true).error("No action " + request.path()).finish());
            };
        } catch (NumberFormatException e) {
            return failed("Not a number: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        } catch (Exception e) {
            return failed(AdminCalls.describe(e));
        }
    }

    private Response create(Request request) throws Exception {
        String name = request.param("name").strip();
        int partitions = request.param("partitions").isBlank() ? 1 : Integer.parseInt(request.param("partitions").strip());
        Optional<Short> rf = request.param("replicationFactor").isBlank() ? Optional.empty()
                : Optional.of(Short.parseShort(request.param("replicationFactor").strip()));
        AdminCalls.get(admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), rf))).all());
        return Response.redirect("/topic?name=" + Html.url(name));
    }

    private Response delete(Request request) throws Exception {
        AdminCalls.get(admin.deleteTopics(List.of(request.param("name"))).all());
        return Response.redirect("/topics");
    }

    private Response reset(Request request) throws Exception {
        String group = request.param("group");
        String topic = request.param("topic");
        boolean earliest = !request.param("to").equals("latest");
        int partitions = AdminCalls.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            specs.put(new TopicPartition(topic, p), earliest ? OffsetSpec.earliest() : OffsetSpec.latest());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        AdminCalls.get(admin.listOffsets(specs).all()).forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
        AdminCalls.get(admin.alterConsumerGroupOffsets(group, offsets).all());
        return Response.redirect("/group?id=" + Html.url(group));
    }

    private static Response failed(String why) {
        return Response.html(400, new Html("Action failed", true).error(why).finish());
    }
}
