package io.millrace.coordinator.consumer;

import static io.millrace.coordinator.consumer.GroupHarness.GROUP;
import static io.millrace.coordinator.consumer.GroupHarness.assertError;
import static io.millrace.coordinator.consumer.GroupHarness.assertNoPartitionOwnedTwice;
import static io.millrace.coordinator.consumer.GroupHarness.assigned;
import static io.millrace.coordinator.consumer.GroupHarness.beat;
import static io.millrace.coordinator.consumer.GroupHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsumerGroupMembershipTest {
    private GroupHarness h;
    private Uuid topic;

    @BeforeEach
    void setUp() {
        h = new GroupHarness();
        topic = h.topics.create("t", 6);
    }

    @Test
    void firstMemberGetsEveryPartitionAtEpochOne() {
        ConsumerGroupHeartbeatResponseData response = h.send(join("m1", List.of("t")));

        assertError(Errors.NONE, response);
        assertEquals("m1", response.memberId());
        assertEquals(1, response.memberEpoch());
        assertEquals(5_000, response.heartbeatIntervalMs());
        assertEquals(all(6), assigned(response));
        assertEquals(ConsumerGroupState.STABLE, h.groups.state(GROUP).orElseThrow());
    }

    @Test
    void memberIdIsGeneratedWhenTheClientSendsNone() {
        ConsumerGroupHeartbeatResponseData response = h.send(join("", List.of("t")));

        assertError(Errors.NONE, response);
        assertFalse(response.memberId().isEmpty());
        assertEquals(response.memberId(), h.groups.describe(GROUP).members().get(0).memberId());
    }

    @Test
    void partitionsMoveToANewMemberOnlyAfterTheOwnerRevokesThem() {
        h.send(join("m1", List.of("t")));

        ConsumerGroupHeartbeatResponseData joined = h.send(join("m2", List.of("t")));
        assertEquals(2, joined.memberEpoch());
        assertEquals(PartitionSet.EMPTY, assigned(joined), "m1 still owns every partition");
        assertEquals(ConsumerGroupState.RECONCILING, h.groups.state(GROUP).orElseThrow());

        ConsumerGroupHeartbeatResponseData revoke = h.send(beat("m1", 1));
        assertEquals(1, revoke.memberEpoch(), "the epoch waits until the revocation is done");
        PartitionSet kept = assigned(revoke);
        assertEquals(3, kept.size());

        ConsumerGroupHeartbeatResponseData stillWaiting = h.send(beat("m2", 2));
        assertNull(assigned(stillWaiting), "nothing released yet, nothing new to say");

        ConsumerGroupHeartbeatResponseData revoked = h.send(beat("m1", 1, kept));
        assertEquals(2, revoked.memberEpoch());

        ConsumerGroupHeartbeatResponseData taken = h.send(beat("m2", 2));
        assertEquals(all(6).minus(kept), assigned(taken));
        assertEquals(ConsumerGroupState.STABLE, h.groups.state(GROUP).orElseThrow());
    }

    @Test
    void wrongEpochIsFencedAndUnknownMemberIsUnknown() {
        h.send(join("m1", List.of("t")));

        assertError(Errors.FENCED_MEMBER_EPOCH, h.send(beat("m1", 7)));
        assertError(Errors.UNKNOWN_MEMBER_ID, h.send(beat("nobody", 1)));
        assertError(Errors.UNKNOWN_MEMBER_ID, h.send(beat("m1", 1).setGroupId("other")));
    }

    @Test
    void fencedMemberRejoinsWithEpochZeroAndGetsItsPartitionsBack() {
        h.send(join("m1", List.of("t")));

        ConsumerGroupHeartbeatResponseData rejoined = h.send(join("m1", List.of("t")));

        assertError(Errors.NONE, rejoined);
        assertEquals(1, rejoined.memberEpoch());
        assertEquals(all(6), assigned(rejoined));
    }

    @Test
    void heartbeatAtThePreviousEpochIsAcceptedWhenTheResponseWasLost() {
        h.send(join("m1", List.of("t")));
        h.send(join("m2", List.of("t")));
        PartitionSet kept = assigned(h.send(beat("m1", 1)));
        h.send(beat("m1", 1, kept));   // moves m1 to epoch 2; suppose this response was lost

        ConsumerGroupHeartbeatResponseData retry = h.send(beat("m1", 1, kept));

        assertError(Errors.NONE, retry);
        assertEquals(2, retry.memberEpoch());
        assertEquals(kept, assigned(retry));
    }

    @Test
    void leavingFreesPartitionsForTheOthers() {
        h.send(join("m1", List.of("t")));
        h.send(join("m2", List.of("t")));
        PartitionSet kept = assigned(h.send(beat("m1", 1)));
        h.send(beat("m1", 1, kept));
        h.send(beat("m2", 2));

        ConsumerGroupHeartbeatResponseData left = h.send(beat("m2", GroupMembership.LEAVE_EPOCH));
        assertEquals(-1, left.memberEpoch());

        ConsumerGroupHeartbeatResponseData all = h.send(beat("m1", 2));
        assertEquals(3, all.memberEpoch());
        assertEquals(all(6), assigned(all));
        assertEquals(1, h.groups.describe(GROUP).members().size());
    }

    @Test
    void lastMemberLeavingLeavesAnEmptyGroupThatCanBeDeleted() {
        h.send(join("m1", List.of("t")));
        assertFalse(h.groups.isEmpty(GROUP));
        assertEquals(java.util.Set.of("t"), h.groups.subscribedTopics(GROUP));

        h.send(beat("m1", GroupMembership.LEAVE_EPOCH));

        assertEquals(ConsumerGroupState.EMPTY, h.groups.state(GROUP).orElseThrow());
        assertTrue(h.groups.isEmpty(GROUP));
        assertEquals(java.util.Set.of(), h.groups.subscribedTopics(GROUP));
        h.append(h.groups.deletion(GROUP));
        assertFalse(h.groups.contains(GROUP));
    }

    @Test
    void staticMemberLeavingForNowKeepsItsPartitionsForItsReplacement() {
        h.send(join("m1", List.of("t")).setInstanceId("i1"));
        h.send(join("m2", List.of("t")));
        PartitionSet kept = assigned(h.send(beat("m1", 1)));
        h.send(beat("m1", 1, kept));

        ConsumerGroupHeartbeatResponseData left = h.send(beat("m1", GroupMembership.STATIC_LEAVE_EPOCH).setInstanceId("i1"));
        assertEquals(-2, left.memberEpoch());
        assertEquals(2, h.groups.describe(GROUP).members().size(), "no rebalance while it restarts");

        ConsumerGroupHeartbeatResponseData back = h.send(join("m1-restarted", List.of("t")).setInstanceId("i1"));
        assertError(Errors.NONE, back);
        assertEquals(2, back.memberEpoch());
        assertEquals(kept, assigned(back));
        assertTrue(h.groups.describe(GROUP).members().stream().noneMatch(m -> m.memberId().equals("m1")));
    }

    @Test
    void instanceIdInUseIsUnreleased() {
        h.send(join("m1", List.of("t")).setInstanceId("i1"));

        assertError(Errors.UNRELEASED_INSTANCE_ID, h.send(join("m2", List.of("t")).setInstanceId("i1")));
    }

    @Test
    void unknownServerAssignorIsUnsupported() {
        ConsumerGroupHeartbeatResponseData response = h.send(join("m1", List.of("t")).setServerAssignor("sticky"));

        assertError(Errors.UNSUPPORTED_ASSIGNOR, response);
        assertFalse(h.groups.contains(GROUP));
    }

    @Test
    void rangeAssignorIsUsedWhenMembersAskForIt() {
        Uuid other = h.topics.create("u", 6);
        h.send(join("a", List.of("t", "u")).setServerAssignor("range"));
        h.send(join("b", List.of("t", "u")).setServerAssignor("range"));

        assertEquals("range", h.groups.describe(GROUP).assignorName());
        PartitionSet target = h.groups.describe(GROUP).members().stream().filter(m -> m.memberId().equals("b"))
                .map(m -> PartitionSet.of(m.targetAssignment().topicPartitions().stream().collect(
                        java.util.stream.Collectors.toMap(t -> t.topicId(), t -> t.partitions()))))
                .findFirst().orElseThrow();
        assertEquals(PartitionSet.builder().addAll(topic, List.of(3, 4, 5)).addAll(other, List.of(3, 4, 5)).build(),
                target);
    }

    @Test
    void malformedJoinsAreInvalidRequests() {
        assertError(Errors.INVALID_REQUEST, h.send(join("m1", List.of("t")).setGroupId("")));
        assertError(Errors.INVALID_REQUEST, h.send(join("m1", List.of("t")).setRebalanceTimeoutMs(-1)));
        assertError(Errors.INVALID_REQUEST, h.send(join("m1", List.of("t")).setTopicPartitions(null)));
        assertError(Errors.INVALID_REQUEST, h.send(join("m1", null)));
        assertError(Errors.INVALID_REQUEST, h.send(beat("", 3)));
        assertError(Errors.INVALID_REQUEST, h.send(beat("m1", -3)));
        assertTrue(h.log.isEmpty());
    }

    @Test
    void maxSizeIsEnforced() {
        h = new GroupHarness(new ConsumerGroupConfig(45_000, 5_000, 1, List.of(new UniformAssignor())));
        h.topics.create("t", 1);
        h.send(join("m1", List.of("t")));

        assertError(Errors.GROUP_MAX_SIZE_REACHED, h.send(join("m2", List.of("t"))));
    }

    @Test
    void offsetCommitsAreCheckedAgainstTheMemberEpoch() {
        h.send(join("m1", List.of("t")));

        assertEquals(Errors.NONE, h.groups.validateOffsetCommit(GROUP, "m1", 1));
        assertEquals(Errors.STALE_MEMBER_EPOCH, h.groups.validateOffsetCommit(GROUP, "m1", 0));
        assertEquals(Errors.ILLEGAL_GENERATION, h.groups.validateTransactionalOffsetCommit(GROUP, "m1", null, 0));
        assertEquals(Errors.NONE, h.groups.validateTransactionalOffsetCommit(GROUP, "m1", null, 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.groups.validateTransactionalOffsetCommit(GROUP, "zz", null, 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.groups.validateTransactionalOffsetCommit(GROUP, "", null, -1),
                "without group metadata only while the group has no members");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.groups.validateOffsetCommit(GROUP, "zz", 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.groups.validateOffsetCommit(GROUP, "", -1));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, h.groups.validateOffsetCommit("nope", "m1", 1));
        assertEquals(Errors.UNSUPPORTED_VERSION, h.groups.validateOffsetCommit(GROUP, "m1", 1, null, (short) 8));
        assertEquals(Errors.NONE, h.groups.validateOffsetCommit(GROUP, "m1", 1, null, (short) 9));
        assertEquals(Errors.NONE, h.groups.validateOffsetFetch(GROUP, null, -1));
        assertEquals(Errors.STALE_MEMBER_EPOCH, h.groups.validateOffsetFetch(GROUP, "m1", 5));

        h.send(beat("m1", GroupMembership.LEAVE_EPOCH));
        assertEquals(Errors.NONE, h.groups.validateOffsetCommit(GROUP, "", -1));
    }

    @Test
    void describeAndListShowTheGroup() {
        h.send(join("m1", List.of("t")).setRackId("r1"));

        var described = h.groups.describe(GROUP);
        assertEquals(0, described.errorCode());
        assertEquals("Stable", described.groupState());
        assertEquals(1, described.groupEpoch());
        assertEquals(1, described.assignmentEpoch());
        assertEquals("uniform", described.assignorName());
        var member = described.members().get(0);
        assertEquals("r1", member.rackId());
        assertEquals("client-1", member.clientId());
        assertEquals("/127.0.0.1", member.clientHost());
        assertEquals(List.of("t"), member.subscribedTopicNames());
        assertEquals("t", member.assignment().topicPartitions().get(0).topicName());
        assertEquals(6, member.assignment().topicPartitions().get(0).partitions().size());
        assertEquals(1, member.memberType());

        assertEquals(List.of(new ConsumerGroups.GroupListing(GROUP, ConsumerGroupState.STABLE)), h.groups.listings());
        assertEquals("consumer", h.groups.listGroups().get(0).groupType());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), h.groups.describe("nope").errorCode());
    }

    @Test
    void writeOperationsChangeNothingUntilTheirRecordsAreReplayed() {
        var result = h.groups.heartbeat(join("m1", List.of("t")), GroupHarness.CLIENT, h.now);

        assertFalse(result.records().isEmpty());
        assertFalse(h.groups.contains(GROUP));
        h.append(result.records());
        assertTrue(h.groups.contains(GROUP));
    }

    /** Many clients join, leave and crash in random order; no partition is ever owned twice. */
    @Test
    void randomMembershipChurnNeverDoubleAssignsAndConverges() {
        h.topics.create("u", 5);
        Random random = new Random(42);
        List<GroupHarness.Client> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(h.new Client("c" + i, i % 3 == 0 ? new String[] {"t"} : new String[] {"t", "u"}));
        }
        List<GroupHarness.Client> active = new ArrayList<>();
        for (int step = 0; step < 2_000; step++) {
            GroupHarness.Client client = clients.get(random.nextInt(clients.size()));
            int action = random.nextInt(20);
            if (action == 0 && client.joined) {
                client.leave();
                active.remove(client);
            } else if (action == 1 && client.joined) {
                h.fire(MemberTimers.sessionKey(GROUP, client.memberId));  // crashed: its session ends
                client.owned = PartitionSet.EMPTY;
                client.joined = false;
                active.remove(client);
            } else {
                client.heartbeat();
                if (!active.contains(client)) {
                    active.add(client);
                }
            }
            assertNoPartitionOwnedTwice(clients);
        }
        for (int round = 0; round < 6; round++) {
            active.forEach(GroupHarness.Client::heartbeat);
            assertNoPartitionOwnedTwice(clients);
        }
        assertEquals(ConsumerGroupState.STABLE, h.groups.state(GROUP).orElseThrow());
        int owned = active.stream().mapToInt(c -> c.owned.size()).sum();
        assertEquals(11, owned, "every partition owned once");
        int min = active.stream().mapToInt(c -> c.owned.size()).min().orElseThrow();
        int max = active.stream().mapToInt(c -> c.owned.size()).max().orElseThrow();
        assertTrue(max - min <= 2, "balanced: " + min + ".." + max);
    }

    @Test
    void theGroupEpochRisesWithEveryMembershipChange() {
        h.send(join("m1", List.of("t")));
        h.send(join("m2", List.of("t")));
        assertEquals(2, h.groups.describe(GROUP).groupEpoch());

        h.send(beat("m2", GroupMembership.LEAVE_EPOCH));
        assertEquals(3, h.groups.describe(GROUP).groupEpoch());
        assertEquals(3, h.groups.describe(GROUP).assignmentEpoch());

        h.send(beat("m1", 1));   // nothing changed: no new epoch
        assertEquals(3, h.groups.describe(GROUP).groupEpoch());
    }

    private PartitionSet all(int partitions) {
        PartitionSet.Builder builder = PartitionSet.builder();
        for (int p = 0; p < partitions; p++) {
            builder.add(topic, p);
        }
        return builder.build();
    }
}
