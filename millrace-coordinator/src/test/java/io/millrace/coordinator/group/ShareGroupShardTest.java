package io.millrace.coordinator.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.consumer.ConsumerGroupApis;
import io.millrace.coordinator.share.ShareGroupApis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Share groups (KIP-932) on a coordinator shard without a network: heartbeats write records that
 * are replayed, timers fire on a manual clock, and a reload replays the log as a new leader would.
 */
class ShareGroupShardTest {
    private static final GroupRequestContext CLIENT = new GroupRequestContext("client", "/127.0.0.1", (short) 1);

    private final ShardHarness harness = ShardHarness.withDefaults();

    private ShareGroupHeartbeatResponseData heartbeat(ShareGroupHeartbeatRequestData request) {
        return harness.write(shard -> ShareGroupApis.heartbeat(shard, CLIENT, request));
    }

    private static ShareGroupHeartbeatRequestData join(String memberId, String... topics) {
        return new ShareGroupHeartbeatRequestData().setGroupId("sg").setMemberId(memberId).setMemberEpoch(0)
                .setSubscribedTopicNames(List.of(topics));
    }

    private static ShareGroupHeartbeatRequestData beat(String memberId, int epoch) {
        return new ShareGroupHeartbeatRequestData().setGroupId("sg").setMemberId(memberId).setMemberEpoch(epoch)
                .setSubscribedTopicNames(null);
    }

    private static int assigned(ShareGroupHeartbeatResponseData response) {
        return response.assignment().topicPartitions().stream().mapToInt(t -> t.partitions().size()).sum();
    }

    private ShareGroupDescribeResponseData.DescribedGroup describe() {
        return harness.shard.shareGroups().describe("sg");
    }

    @Test
    void everyMemberGetsEveryPartitionOfItsTopicsAndKeepsItsEpochWhenOthersJoin() {
        ShareGroupHeartbeatResponseData first = heartbeat(join("m1", "orders"));
        assertEquals(Errors.NONE.code(), first.errorCode(), first.errorMessage());
        assertEquals(1, first.memberEpoch());
        assertEquals(3, assigned(first));
        assertEquals(5_000, first.heartbeatIntervalMs());

        ShareGroupHeartbeatResponseData second = heartbeat(join("m2", "orders", "payments"));
        assertEquals(2, second.memberEpoch());
        assertEquals(5, assigned(second));

        ShareGroupHeartbeatResponseData again = heartbeat(beat("m1", 1));
        assertEquals(Errors.NONE.code(), again.errorCode());
        assertEquals(1, again.memberEpoch());
        assertNull(again.assignment(), "nothing changed for m1: no assignment is sent");

        ShareGroupDescribeResponseData.DescribedGroup described = describe();
        assertEquals("Stable", described.groupState());
        assertEquals(2, described.groupEpoch());
        assertEquals(List.of("m1", "m2"), described.members().stream().map(m -> m.memberId()).toList());
        assertEquals(List.of("orders", "payments"), described.members().get(1).subscribedTopicNames());
        assertEquals(2, described.members().get(1).assignment().topicPartitions().size());
    }

    @Test
    void newPartitionsReachTheMemberWithANewEpoch() {
        heartbeat(join("m1", "orders"));
        harness.topics.put("orders", new TopicsView.TopicInfo("orders", harness.topics.get("orders").id(), 5));
        ShareGroupHeartbeatResponseData next = heartbeat(beat("m1", 1));
        assertEquals(2, next.memberEpoch());
        assertEquals(5, assigned(next));
    }

    @Test
    void badRequestsGetKafkasErrors() {
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join("", "orders")).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join("m1")).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat(beat("m1", 3)).errorCode());
        heartbeat(join("m1", "orders"));
        assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), heartbeat(beat("m1", 7)).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(beat("m1", -2)).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat(beat("m9", -1)).errorCode());
        ShareGroupHeartbeatResponseData rejoined = heartbeat(join("m1", "orders"));
        assertEquals(2, rejoined.memberEpoch(), "a fenced member rejoins with epoch 0 and its own id");
    }

    @Test
    void aGroupIdOfAnotherTypeIsNotAShareGroup() {
        ConsumerGroupHeartbeatResponseData consumer = harness.write(shard -> ConsumerGroupApis.heartbeat(shard, CLIENT,
                new ConsumerGroupHeartbeatRequestData().setGroupId("sg").setMemberId("c1").setMemberEpoch(0)
                        .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("orders"))
                        .setTopicPartitions(List.of())));
        assertEquals(Errors.NONE.code(), consumer.errorCode(), consumer.errorMessage());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), heartbeat(join("m1", "orders")).errorCode());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), describe().errorCode());
    }

    @Test
    void leavingAndSessionExpiryRemoveMembersThenTheEmptyGroupCanBeDeleted() {
        heartbeat(join("m1", "orders"));
        heartbeat(join("m2", "orders"));
        ShareGroupHeartbeatResponseData left = heartbeat(beat("m1", -1));
        assertEquals(-1, left.memberEpoch());
        assertEquals(1, describe().members().size());

        List<DeletableGroupResult> busy = harness.write(shard -> shard.deleteGroups(List.of("sg")));
        assertEquals(Errors.NON_EMPTY_GROUP.code(), busy.get(0).errorCode());

        harness.advance(44_000);
        heartbeat(beat("m2", 2)); // the heartbeat keeps m2's session
        harness.advance(44_000);
        assertEquals(1, describe().members().size());
        harness.advance(2_000);
        assertTrue(describe().members().isEmpty(), "m2's session ended 45 s after its last heartbeat");

        ListedGroup listed = harness.shard.listGroups(List.of(), List.of("share")).get(0);
        assertEquals("sg", listed.groupId());
        assertEquals("Empty", listed.groupState());
        assertEquals("share", listed.groupType());
        assertTrue(harness.shard.listGroups(List.of(), List.of("consumer")).isEmpty());

        List<DeletableGroupResult> deleted = harness.write(shard -> shard.deleteGroups(List.of("sg")));
        assertEquals(Errors.NONE.code(), deleted.get(0).errorCode());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), describe().errorCode());
    }

    @Test
    void aNewLeaderReplaysTheGroupAndRestartsSessions() {
        heartbeat(join("m1", "orders"));
        heartbeat(join("m2", "payments"));
        ShareGroupDescribeResponseData.DescribedGroup before = describe();
        harness.reload();
        ShareGroupDescribeResponseData.DescribedGroup after = describe();
        assertEquals(before, after);
        ShareGroupHeartbeatResponseData beat = heartbeat(beat("m2", 2));
        assertEquals(Errors.NONE.code(), beat.errorCode());
        harness.advance(46_000);
        assertTrue(describe().members().isEmpty());
        assertFalse(harness.shard.groupTypes().owner("sg").isEmpty(), "the empty group stays until deleted");
    }

    /**
     * The group keeps the topics it may have share state of (its state topics): its members'
     * topics, kept after they leave, replayed by a new leader, added by AlterShareGroupOffsets,
     * gone with the group.
     */
    @Test
    void theGroupKeepsItsStateTopicsUntilItIsDeleted() {
        heartbeat(join("m1", "orders"));
        heartbeat(join("m2", "payments"));
        heartbeat(beat("m1", -1));
        heartbeat(beat("m2", 2));
        heartbeat(beat("m2", -1));
        assertEquals(Set.of("orders", "payments"), harness.shard.shareGroups().stateTopicNames("sg"),
                "kept after the members left");
        harness.reload();
        assertEquals(Set.of("orders", "payments"), harness.shard.shareGroups().stateTopicNames("sg"));
        harness.write(shard -> shard.shareGroups().addStateTopics("sg", Map.of(Uuid.randomUuid(), "audit")));
        assertEquals(Set.of("orders", "payments", "audit"), harness.shard.shareGroups().stateTopicNames("sg"));

        harness.write(shard -> shard.deleteGroups(List.of("sg")));
        heartbeat(join("m3", "orders"));
        assertEquals(Set.of("orders"), harness.shard.shareGroups().stateTopicNames("sg"), "a new group starts afresh");
    }
}
