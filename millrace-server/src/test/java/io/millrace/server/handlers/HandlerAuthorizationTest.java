package io.millrace.server.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.streams.ConfiguredTopology;
import io.millrace.coordinator.streams.ConfiguredTopology.TopicToCreate;
import io.millrace.server.api.Authorization;
import io.millrace.server.handlers.TestGrants.Grants;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.TopicInfo;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData.Status;
import org.junit.jupiter.api.Test;

/** The shared authorization rules of the handlers, against a fixed set of grants. */
class HandlerAuthorizationTest {

    @Test
    void authorizedOperationsAreABitPerAllowedOperation() {
        Grants grants = new Grants(Set.of("TOPIC:t:READ", "TOPIC:t:DESCRIBE", "GROUP:g:DELETE", "CLUSTER:kafka-cluster:ALTER"));
        assertEquals((1 << AclOperation.READ.code()) | (1 << AclOperation.DESCRIBE.code()),
                AuthorizedOperations.topic(grants, "t"));
        assertEquals(1 << AclOperation.DELETE.code(), AuthorizedOperations.group(grants, "g"));
        assertEquals(0, AuthorizedOperations.cluster(grants), "nothing without DESCRIBE on the cluster");
        Grants describer = new Grants(Set.of("CLUSTER:kafka-cluster:DESCRIBE", "CLUSTER:kafka-cluster:ALTER"));
        assertEquals((1 << AclOperation.DESCRIBE.code()) | (1 << AclOperation.ALTER.code()),
                AuthorizedOperations.cluster(describer));
        assertEquals(0b1101_1111_1000, AuthorizedOperations.topic(Authorization.NONE, "t"),
                "without an authorizer, every operation a topic supports (codes 3-8, 10, 11: not CLUSTER_ACTION, 9)");
    }

    @Test
    void streamsTopologiesNeedDescribeOnEveryTopicTheyName() {
        Topology topology = new Topology().setSubtopologies(List.of(new Subtopology().setSubtopologyId("0")
                .setSourceTopics(List.of("in")).setRepartitionSinkTopics(List.of("app-repartition"))
                .setRepartitionSourceTopics(List.of(new TopicInfo().setName("app-repartition")))
                .setStateChangelogTopics(List.of(new TopicInfo().setName("app-changelog")))));
        Grants someTopics = new Grants(Set.of("TOPIC:in:DESCRIBE", "TOPIC:app-repartition:DESCRIBE"));
        assertEquals(List.of("app-changelog"), StreamsTopologyAuthorization.undescribable(someTopics, topology));
        assertEquals(List.of(), StreamsTopologyAuthorization.undescribable(Authorization.NONE, topology));
        assertEquals(List.of(), StreamsTopologyAuthorization.undescribable(someTopics, null));
    }

    @Test
    void streamsInternalTopicsAreCreatedOnlyWhenThePrincipalMayCreateThemAll() {
        List<TopicToCreate> topics = List.of(new TopicToCreate("app-changelog", 1, (short) 1, Map.of()),
                new TopicToCreate("app-repartition", 1, (short) 1, Map.of()));
        StreamsGroupHeartbeatResponseData response = new StreamsGroupHeartbeatResponseData().setStatus(List.of(
                new Status().setStatusCode(ConfiguredTopology.MISSING_INTERNAL_TOPICS).setStatusDetail("missing")));
        response.setStatus(new java.util.ArrayList<>(response.status()));
        assertTrue(StreamsTopologyAuthorization.mayCreate(new Grants(Set.of("CLUSTER:kafka-cluster:CREATE")), topics,
                response));
        assertFalse(StreamsTopologyAuthorization.mayCreate(new Grants(Set.of("TOPIC:app-changelog:CREATE")), topics,
                response));
        assertEquals("missing; Unauthorized to CREATE on topics app-repartition.", response.status().get(0).statusDetail());
        StreamsGroupHeartbeatResponseData withoutStatus = new StreamsGroupHeartbeatResponseData().setStatus(null);
        assertFalse(StreamsTopologyAuthorization.mayCreate(new Grants(Set.of()), topics, withoutStatus));
        assertEquals(ConfiguredTopology.MISSING_INTERNAL_TOPICS, withoutStatus.status().get(0).statusCode());
    }
}
