package io.millrace.coordinator.consumer;

import static io.millrace.coordinator.consumer.GroupHarness.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.group.GroupCoordinatorShard;
import io.millrace.coordinator.group.GroupRebalances;
import io.millrace.coordinator.group.GroupTypeConfigs;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorShard;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Consumer groups inside a real group coordinator shard, beside its classic groups. */
class ConsumerGroupApisTest {
    private final FakeTopics topics = new FakeTopics();
    private final ManualTimer timer = new ManualTimer();
    private final GroupRebalances rebalances = new GroupRebalances();
    private GroupCoordinatorShard shard;

    @BeforeEach
    void setUp() {
        topics.create("t", 3);
        shard = new GroupCoordinatorShard(new CoordinatorShard.Context(0, timer, GroupHarness.CLOCK),
                GroupCoordinatorConfig.defaults(1), topics, GroupTypeConfigs.defaults(), rebalances);
        shard.onLoaded();
    }

    @Test
    void heartbeatsRunAgainstTheShardsConsumerGroups() {
        ConsumerGroupHeartbeatResponseData response = heartbeat("g", "m1");

        assertError(Errors.NONE, response);
        assertEquals(3, GroupHarness.assigned(response).size());
        assertTrue(shard.consumerGroups().contains("g"));
        assertEquals("Stable", ConsumerGroupApis.describe(shard, "g").groupState());
        assertEquals(1, shard.listGroups(List.of(), List.of("consumer")).size());
    }

    @Test
    void eachGroupEpochBumpCountsAsARebalance() {
        heartbeat("g", "m1");
        assertEquals(1, rebalances.consumer().sum(), "the first member's join");
        heartbeat("g", "m2");
        assertEquals(2, rebalances.consumer().sum(), "a second member's join");
        assertEquals(0, rebalances.streams().sum() + rebalances.share().sum());
    }

    @Test
    void aClassicGroupWithMembersKeepsItsId() {
        CompletableFuture<JoinGroupResponseData> waiting = new CompletableFuture<>();
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000);
        join.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[0]));
        CoordinatorResult<JoinGroupResponseData> joined = shard.classicGroups()
                .join(new GroupRequestContext("c", "/127.0.0.1", (short) 9), join, waiting);
        joined.records().forEach(r -> shard.replay(0, -1, (short) -1, r));
        assertNotNull(shard.classicGroups().get("g"));

        assertError(Errors.GROUP_ID_NOT_FOUND, heartbeat("g", "m1"));
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), ConsumerGroupApis.describe(shard, "g").errorCode());
    }

    @Test
    void anOverlongGroupIdIsInvalid() {
        assertError(Errors.INVALID_GROUP_ID, heartbeat("x".repeat(10_000), "m1"));
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(String groupId, String memberId) {
        CoordinatorResult<ConsumerGroupHeartbeatResponseData> result = ConsumerGroupApis.heartbeat(shard,
                GroupHarness.CLIENT, GroupHarness.join(memberId, List.of("t")).setGroupId(groupId));
        result.records().forEach(r -> shard.replay(0, -1, (short) -1, r));
        return result.response();
    }
}
