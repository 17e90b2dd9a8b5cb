package io.millrace.server.handlers;

import io.millrace.coordinator.streams.ConfiguredTopology;
import io.millrace.coordinator.streams.ConfiguredTopology.TopicToCreate;
import io.millrace.server.api.Authorization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData.Status;
import org.apache.kafka.common.resource.ResourceType;

/**
 * StreamsGroupHeartbeat's topic checks, as Kafka's: every topic a topology names (source,
 * repartition and changelog topics) needs DESCRIBE, else the heartbeat is
 * TOPIC_AUTHORIZATION_FAILED; the internal topics the coordinator asks for are created only when
 * the principal may CREATE them all (on the cluster, else on each topic), otherwise the member's
 * MISSING_INTERNAL_TOPICS status says which it may not create. Stateless.
 */
final class StreamsTopologyAuthorization {
    private StreamsTopologyAuthorization() {
    }

    /** The topology's topics the principal may not describe, in topology order; empty when allowed. */
    static List<String> undescribable(Authorization authorization, Topology topology) {
        if (topology == null || !authorization.enabled()) {
            return List.of();
        }
        Set<String> topics = new LinkedHashSet<>();
        for (Subtopology subtopology : topology.subtopologies()) {
            topics.addAll(subtopology.sourceTopics());
            topics.addAll(subtopology.repartitionSinkTopics());
            subtopology.repartitionSourceTopics().forEach(t -> topics.add(t.name()));
            subtopology.stateChangelogTopics().forEach(t -> topics.add(t.name()));
        }
        List<String> denied = new ArrayList<>();
        for (String topic : topics) {
            if (!authorization.allowsTopic(AclOperation.DESCRIBE, topic)) {
                denied.add(topic);
            }
        }
        return denied;
    }

    /**
     * Whether the principal may create all of {@code topics}; if not, the response's
     * MISSING_INTERNAL_TOPICS status (added if absent) names those it may not.
     */
    static boolean mayCreate(Authorization authorization, List<TopicToCreate> topics,
                             StreamsGroupHeartbeatResponseData response) {
        if (authorization.allowsQuietly(AclOperation.CREATE, ResourceType.CLUSTER, Authorization.CLUSTER)) {
            return true;
        }
        List<String> denied = topics.stream().map(TopicToCreate::name)
                .filter(name -> !authorization.allowsTopic(AclOperation.CREATE, name)).toList();
        if (denied.isEmpty()) {
            return true;
        }
        String detail = "Unauthorized to CREATE on topics " + String.join(", ", denied) + ".";
        if (response.status() == null) {
            response.setStatus(new ArrayList<>());
        }
        Status missing = response.status().stream()
                .filter(s -> s.statusCode() == ConfiguredTopology.MISSING_INTERNAL_TOPICS).findFirst().orElse(null);
        if (missing == null) {
            response.status().add(new Status().setStatusCode(ConfiguredTopology.MISSING_INTERNAL_TOPICS)
                    .setStatusDetail(detail));
        } else {
            missing.setStatusDetail(missing.statusDetail() + "; " + detail);
        }
        return false;
    }
}
