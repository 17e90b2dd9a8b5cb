package io.millrace.coordinator.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.classic.ClassicGroup;
import io.millrace.coordinator.classic.ClassicGroupState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The classic protocol's state machine on one shard, with a manual clock. */
@Timeout(30)
class ClassicGroupTest {
    private static final short V9 = 9;
    private final ShardHarness h = ShardHarness.withDefaults();

    private CompletableFuture<JoinGroupResponseData> join(String memberId, String instanceId, String... protocols) {
        return joinWithMetadata(memberId, instanceId, null, protocols);
    }

    /** Each protocol's metadata is its name's bytes, or {@code metadata} when given. */
    private CompletableFuture<JoinGroupResponseData> joinWithMetadata(String memberId, String instanceId, byte[] metadata,
                                                                      String... protocols) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection list = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        for (String p : protocols) {
            list.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(p)
                    .setMetadata(metadata != null ? metadata : p.getBytes()));
        }
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId("g").setMemberId(memberId)
                .setGroupInstanceId(instanceId).setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(20_000)
                .setProtocolType("consumer").setProtocols(list);
        CompletableFuture<JoinGroupResponseData> waiting = new CompletableFuture<>();
        JoinGroupResponseData now = h.write(s -> s.classicGroups().join(ShardHarness.context(V9), request, waiting));
        if (now != null) {
            waiting.complete(now);
        }
        return waiting;
    }

    /** A dynamic member through the member-id-required round trip; returns its pending join. */
    private CompletableFuture<JoinGroupResponseData> joinNew(String... protocols) {
        JoinGroupResponseData required = done(join("", null, protocols));
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), required.errorCode());
        return join(required.memberId(), null, protocols);
    }

    private CompletableFuture<SyncGroupResponseData> sync(JoinGroupResponseData joined, String instanceId,
                                                         List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId("g").setMemberId(joined.memberId())
                .setGroupInstanceId(instanceId).setGenerationId(joined.generationId()).setAssignments(assignments);
        CompletableFuture<SyncGroupResponseData> waiting = new CompletableFuture<>();
        SyncGroupResponseData now = h.write(s -> s.classicGroups().sync(request, waiting));
        if (now != null) {
            waiting.complete(now);
        }
        return waiting;
    }

    private Errors heartbeat(String memberId, int generation) {
        return Errors.forCode(h.write(s -> s.classicGroups().heartbeat(new HeartbeatRequestData().setGroupId("g")
                .setMemberId(memberId).setGenerationId(generation))).errorCode());
    }

    private static SyncGroupRequestData.SyncGroupRequestAssignment assign(String memberId, int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId).setAssignment(bytes);
    }

    /** The future's value; it must be complete already (a test never blocks on the coordinator). */
    private static <T> T done(CompletableFuture<T> future) {
        assertTrue(future.isDone(), "the response is due by now");
        return future.join();
    }

    private ClassicGroup group() {
        return h.shard.classicGroups().get("g");
    }

    @Test
    void aNewGroupWaitsTheInitialDelayThenTheLeaderAssignsAndTheGroupIsStable() {
        CompletableFuture<JoinGroupResponseData> pending = joinNew("range");
        assertFalse(pending.isDone());
        assertEquals(ClassicGroupState.PREPARING_REBALANCE, group().state());
        h.advance(2_999);
        assertFalse(pending.isDone(), "the initial rebalance delay has not passed");
        h.advance(1);
        JoinGroupResponseData joined = done(pending);
        assertEquals(1, joined.generationId());
        assertEquals("range", joined.protocolName());
        assertEquals(joined.memberId(), joined.leader());
        assertEquals(1, joined.members().size());
        assertEquals(ClassicGroupState.COMPLETING_REBALANCE, group().state());

        SyncGroupResponseData synced = done(sync(joined, null, List.of(assign(joined.memberId(), 1, 2, 3))));
        assertArrayEquals(new byte[] {1, 2, 3}, synced.assignment());
        assertEquals(ClassicGroupState.STABLE, group().state());
        assertEquals(Errors.NONE, heartbeat(joined.memberId(), 1));
    }

    @Test
    void aSecondMemberRebalancesTheGroupAndEachMemberGetsItsOwnBytes() {
        JoinGroupResponseData first = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> second = joinNew("range");
        assertEquals(ClassicGroupState.PREPARING_REBALANCE, group().state());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(first.memberId(), 1));
        assertFalse(second.isDone(), "waits for the first member to rejoin");

        JoinGroupResponseData firstAgain = done(join(first.memberId(), null, "range"));
        JoinGroupResponseData secondJoined = done(second);
        assertEquals(2, firstAgain.generationId());
        assertEquals(2, secondJoined.generationId());
        assertEquals(first.memberId(), firstAgain.leader());
        assertEquals(2, firstAgain.members().size(), "the leader gets every member's metadata");
        assertEquals(0, secondJoined.members().size());

        CompletableFuture<SyncGroupResponseData> follower = sync(secondJoined, null, List.of());
        assertFalse(follower.isDone(), "a follower waits for the leader's assignment");
        SyncGroupResponseData leader = done(sync(firstAgain, null, List.of(assign(first.memberId(), 7),
                assign(secondJoined.memberId(), 8, 9))));
        assertArrayEquals(new byte[] {7}, leader.assignment());
        assertArrayEquals(new byte[] {8, 9}, done(follower).assignment());
    }

    @Test
    void aMemberThatStopsHeartbeatingIsExpelledAfterItsSessionTimeout() {
        JoinGroupResponseData first = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> second = joinNew("range");
        JoinGroupResponseData a = done(join(first.memberId(), null, "range"));
        JoinGroupResponseData b = done(second);
        sync(b, null, List.of());
        done(sync(a, null, List.of(assign(a.memberId(), 1), assign(b.memberId(), 2))));
        for (int i = 0; i < 4; i++) {
            h.advance(3_000);
            heartbeat(a.memberId(), 2);
        }
        assertEquals(ClassicGroupState.PREPARING_REBALANCE, group().state(), "b's 10 s session expired");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(b.memberId(), 2));
        JoinGroupResponseData alone = done(join(a.memberId(), null, "range"));
        assertEquals(3, alone.generationId());
        assertEquals(1, alone.members().size());
    }

    @Test
    void theChecksOfSyncHeartbeatAndJoin() {
        JoinGroupResponseData joined = stableSingleMember();
        assertEquals(Errors.ILLEGAL_GENERATION, heartbeat(joined.memberId(), 7));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat("nobody", 1));
        assertEquals(Errors.ILLEGAL_GENERATION.code(), done(sync(new JoinGroupResponseData().setMemberId(joined.memberId())
                .setGenerationId(0), null, List.of())).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), done(join("nobody", null, "range")).errorCode());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), done(join("", null, "roundrobin")).errorCode(),
                "no protocol in common with the members");
        JoinGroupRequestData tooShort = new JoinGroupRequestData().setGroupId("g").setMemberId("").setSessionTimeoutMs(10)
                .setProtocolType("consumer");
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), h.write(s -> s.classicGroups()
                .join(ShardHarness.context(V9), tooShort, new CompletableFuture<>())).errorCode());
        JoinGroupRequestData noId = new JoinGroupRequestData().setGroupId("").setMemberId("").setSessionTimeoutMs(10_000);
        assertEquals(Errors.INVALID_GROUP_ID.code(), h.write(s -> s.classicGroups()
                .join(ShardHarness.context(V9), noId, new CompletableFuture<>())).errorCode());
    }

    @Test
    void theProtocolMostMembersPreferAmongThoseAllSupportIsChosen() {
        CompletableFuture<JoinGroupResponseData> a = joinNew("range", "roundrobin");
        CompletableFuture<JoinGroupResponseData> b = joinNew("roundrobin", "range");
        CompletableFuture<JoinGroupResponseData> c = joinNew("roundrobin", "sticky", "range");
        h.advance(3_000);
        assertFalse(a.isDone(), "members joined during the initial delay: it is extended once more");
        h.advance(3_000);
        assertEquals("roundrobin", done(a).protocolName());
        assertEquals("roundrobin", done(b).protocolName());
        assertEquals("roundrobin", done(c).protocolName());
    }

    @Test
    void aStaticMemberRejoiningWithTheSameSubscriptionKeepsItsAssignmentWithoutARebalance() {
        CompletableFuture<JoinGroupResponseData> pending = join("", "instance-1", "range");
        assertFalse(pending.isDone(), "a static member needs no member-id round trip, and waits the initial delay");
        h.advance(3_000);
        JoinGroupResponseData joined = done(pending);
        done(sync(joined, "instance-1", List.of(assign(joined.memberId(), 4, 2))));
        int generation = group().generationId();

        JoinGroupResponseData restarted = done(join("", "instance-1", "range"));
        assertEquals(Errors.NONE.code(), restarted.errorCode());
        assertNotEquals(joined.memberId(), restarted.memberId());
        assertEquals(generation, restarted.generationId(), "no new generation");
        assertTrue(restarted.skipAssignment(), "the leader keeps the assignment it made");
        assertEquals(ClassicGroupState.STABLE, group().state());
        assertArrayEquals(new byte[] {4, 2}, done(sync(restarted, "instance-1", List.of())).assignment());
        assertEquals(Errors.FENCED_INSTANCE_ID.code(), h.write(s -> s.classicGroups().heartbeat(new HeartbeatRequestData()
                .setGroupId("g").setMemberId(joined.memberId()).setGroupInstanceId("instance-1")
                .setGenerationId(generation))).errorCode());
    }

    @Test
    void aStaticMemberRejoiningWithAnotherSubscriptionRebalancesTheGroup() {
        CompletableFuture<JoinGroupResponseData> pending = join("", "instance-1", "range");
        h.advance(3_000);
        JoinGroupResponseData joined = done(pending);
        done(sync(joined, "instance-1", List.of(assign(joined.memberId(), 1))));

        JoinGroupResponseData restarted = done(joinWithMetadata("", "instance-1", new byte[] {9}, "range"));
        assertEquals(2, restarted.generationId(), "a new generation for the new subscription");
        assertEquals(ClassicGroupState.COMPLETING_REBALANCE, group().state());
    }

    @Test
    void leaveGroupAnswersEachMemberAndAnEmptiedGroupIsPersisted() {
        JoinGroupResponseData joined = stableSingleMember();
        LeaveGroupResponseData left = h.write(s -> s.classicGroups().leave("g", List.of(
                new MemberIdentity().setMemberId(joined.memberId()), new MemberIdentity().setMemberId("nobody"))));
        assertEquals(Errors.NONE.code(), left.members().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), left.members().get(1).errorCode());
        assertEquals(ClassicGroupState.EMPTY, group().state());
        assertEquals(2, group().generationId());
        h.reload();
        assertEquals(ClassicGroupState.EMPTY, group().state());
        assertEquals(2, group().generationId());
    }

    @Test
    void replayingTheLogRebuildsAStableGroupWhoseMembersMustKeepHeartbeating() {
        JoinGroupResponseData joined = stableSingleMember();
        DescribedGroup before = h.shard.describeGroup("g", (short) 5);
        h.reload();
        assertEquals(before, h.shard.describeGroup("g", (short) 5));
        assertEquals(Errors.NONE, heartbeat(joined.memberId(), 1));
        h.advance(10_001);
        assertEquals(ClassicGroupState.EMPTY, group().state(), "a member that never came back expired after the restart");
    }

    private JoinGroupResponseData stableSingleMember() {
        CompletableFuture<JoinGroupResponseData> pending = joinNew("range");
        h.advance(3_000);
        JoinGroupResponseData joined = done(pending);
        done(sync(joined, null, List.of(assign(joined.memberId(), 1))));
        assertEquals(ClassicGroupState.STABLE, group().state());
        return joined;
    }
}
