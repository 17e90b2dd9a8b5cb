package io.millrace.coordinator.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Offset commits, fetches, deletes and expiry on one shard, with a manual clock. */
@Timeout(30)
class OffsetsTest {
    private static final short V9 = 9;
    private final ShardHarness h = ShardHarness.withDefaults();

    private Errors commit(String group, String member, int generation, String topic, int partition, long offset,
                          String metadata, short version) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setMemberId(member)
                .setGenerationIdOrMemberEpoch(generation).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(topic).setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset).setCommittedMetadata(metadata)))));
        OffsetCommitResponseData response = h.write(s -> s.commitOffsets(ShardHarness.context(version), request));
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private Errors simpleCommit(String group, String topic, int partition, long offset) {
        return commit(group, "", -1, topic, partition, offset, null, V9);
    }

    private OffsetFetchResponsePartitions fetch(String group, String topic, int partition) {
        OffsetFetchResponseGroup response = h.shard.fetchOffsets(ShardHarness.context(V9), new OffsetFetchRequestGroup()
                .setGroupId(group).setTopics(List.of(new OffsetFetchRequestTopics().setName(topic)
                        .setPartitionIndexes(List.of(partition)))), false);
        return response.topics().get(0).partitions().get(0);
    }

    @Test
    void commitsAreFetchedWithTheirMetadataAndWhatWasNeverCommittedIsMinusOne() {
        assertEquals(Errors.NONE, commit("g", "", -1, "orders", 1, 42, "my metadata", V9));
        OffsetFetchResponsePartitions committed = fetch("g", "orders", 1);
        assertEquals(42, committed.committedOffset());
        assertEquals("my metadata", committed.metadata());
        OffsetFetchResponsePartitions missing = fetch("g", "orders", 2);
        assertEquals(-1, missing.committedOffset());
        assertEquals(Errors.NONE.code(), missing.errorCode());
        assertEquals(-1, fetch("never-seen", "orders", 0).committedOffset());
        h.reload();
        assertEquals(42, fetch("g", "orders", 1).committedOffset(), "replaying the log restores the offsets");
    }

    @Test
    void badCommitsGetTheirErrors() {
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, simpleCommit("g", "no-such-topic", 0, 1));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, simpleCommit("g", "orders", 3, 1));
        assertEquals(Errors.OFFSET_METADATA_TOO_LARGE, commit("g", "", -1, "orders", 0, 1, "x".repeat(101), V9));
        assertEquals(Errors.INVALID_GROUP_ID, simpleCommit("", "orders", 0, 1));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, commit("nobody", "m", 3, "orders", 0, 1, null, V9));
        assertEquals(Errors.ILLEGAL_GENERATION, commit("nobody", "m", 3, "orders", 0, 1, null, (short) 8));
        assertEquals(List.of(), h.log, "nothing was written");
    }

    @Test
    void aGroupWithMembersOnlyTakesCommitsOfItsCurrentMembersAndGeneration() {
        JoinGroupResponseData member = stableMember("g", List.of("orders"));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, simpleCommit("g", "orders", 0, 5));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, commit("g", "someone-else", 1, "orders", 0, 5, null, V9));
        assertEquals(Errors.ILLEGAL_GENERATION, commit("g", member.memberId(), 2, "orders", 0, 5, null, V9));
        assertEquals(Errors.NONE, commit("g", member.memberId(), 1, "orders", 0, 5, null, V9));
    }

    @Test
    void offsetsOfAGroupThatStaysEmptyExpireAndTheGroupGoes() {
        JoinGroupResponseData member = stableMember("g", List.of("orders"));
        assertEquals(Errors.NONE, commit("g", member.memberId(), 1, "orders", 0, 5, null, V9));
        for (int i = 0; i < 5; i++) {
            h.advance(20_000);
            h.write(s -> s.classicGroups().heartbeat(new org.apache.kafka.common.message.HeartbeatRequestData()
                    .setGroupId("g").setMemberId(member.memberId()).setGenerationId(1)));
        }
        assertEquals(5, fetch("g", "orders", 0).committedOffset(), "a group with members keeps its offsets");
        h.write(s -> s.classicGroups().leave("g", List.of(new MemberIdentity().setMemberId(member.memberId()))));
        h.advance(59_000);
        assertEquals(5, fetch("g", "orders", 0).committedOffset());
        h.advance(2_000);
        assertEquals(-1, fetch("g", "orders", 0).committedOffset(), "expired a minute after the group emptied");
        assertEquals(null, h.shard.classicGroups().get("g"), "the empty group went with its last offset");
        assertEquals(Errors.NONE, simpleCommit("standalone", "payments", 1, 9));
        h.advance(61_000);
        assertEquals(-1, fetch("standalone", "payments", 1).committedOffset());
        h.reload();
        assertEquals(List.of(), h.shard.listGroups(List.of(), List.of()), "the tombstones replay too");
    }

    @Test
    void offsetDeleteAndDeleteGroupsRefuseWhatAnActiveGroupUses() {
        JoinGroupResponseData member = stableMember("g", List.of("orders"));
        assertEquals(Errors.NONE, commit("g", member.memberId(), 1, "orders", 0, 5, null, V9));
        assertEquals(Errors.NONE, commit("g", member.memberId(), 1, "payments", 0, 6, null, V9));
        OffsetDeleteResponseData deleted = h.write(s -> s.deleteOffsets(new OffsetDeleteRequestData().setGroupId("g")
                .setTopics(new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection(List.of(
                        new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(List.of(
                                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))),
                        new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("payments").setPartitions(List.of(
                                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0)))).iterator()))));
        assertEquals(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code(),
                deleted.topics().find("orders").partitions().find(0).errorCode());
        assertEquals(Errors.NONE.code(), deleted.topics().find("payments").partitions().find(0).errorCode());
        assertEquals(-1, fetch("g", "payments", 0).committedOffset());
        assertEquals(5, fetch("g", "orders", 0).committedOffset());

        List<DeletableGroupResult> refused = h.write(s -> s.deleteGroups(List.of("g", "unknown")));
        assertEquals(Errors.NON_EMPTY_GROUP.code(), refused.get(0).errorCode());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), refused.get(1).errorCode());
        h.write(s -> s.classicGroups().leave("g", List.of(new MemberIdentity().setMemberId(member.memberId()))));
        assertEquals(Errors.NONE.code(), h.write(s -> s.deleteGroups(List.of("g"))).get(0).errorCode());
        assertEquals(-1, fetch("g", "orders", 0).committedOffset());
        assertEquals(List.of(), h.shard.listGroups(List.of(), List.of()));
    }

    @Test
    void listGroupsFiltersByStateAndTypeAndShowsOffsetOnlyGroupsAsEmpty() {
        stableMember("active", List.of("orders"));
        simpleCommit("simple", "orders", 0, 1);
        assertEquals(List.of("active"), ids(h.shard.listGroups(List.of("stable"), List.of())));
        assertEquals(List.of("simple"), ids(h.shard.listGroups(List.of("Empty"), List.of("CLASSIC"))));
        assertEquals(List.of(), ids(h.shard.listGroups(List.of(), List.of("consumer"))));
    }

    private static List<String> ids(List<org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup> groups) {
        return groups.stream().map(org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup::groupId).sorted().toList();
    }

    /** One member of "consumer" protocol type subscribed to {@code topics}, its group Stable at generation 1. */
    private JoinGroupResponseData stableMember(String group, List<String> topics) {
        ByteBuffer subscription = MessageUtil.toVersionPrefixedByteBuffer((short) 3,
                new ConsumerProtocolSubscription().setTopics(topics));
        byte[] metadata = new byte[subscription.remaining()];
        subscription.get(metadata);
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(metadata));
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setMemberId("")
                .setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(30_000).setProtocolType("consumer").setProtocols(protocols);
        CompletableFuture<JoinGroupResponseData> joined = new CompletableFuture<>();
        JoinGroupResponseData now = h.write(s -> s.classicGroups().join(ShardHarness.context((short) 3), request, joined));
        assertEquals(null, now, "the join waits for the initial delay");
        h.advance(3_000);
        assertTrue(joined.isDone());
        JoinGroupResponseData member = joined.join();
        h.write(s -> s.classicGroups().sync(new SyncGroupRequestData().setGroupId(group).setMemberId(member.memberId())
                .setGenerationId(member.generationId()), new CompletableFuture<>()));
        return member;
    }

}
