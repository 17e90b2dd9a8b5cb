package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every advertised version of the group APIs, request and response, through raw frames (compat
 * item 8: a mis-encoded field at one version breaks some client even when the Java client copes):
 * a full join/sync/heartbeat/leave round at each JoinGroup version, commits and fetches at every
 * offset API version, and the admin APIs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupApiVersionsIT {
    private static final String TOPIC = "matrix";

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static RawKafkaConnection raw;
    static Uuid topicId;

    @BeforeAll
    static void start() {
        broker = InProcessBroker.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "500", "offsets.topic.num.partitions", "2"));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 2, Map.of());
            topicId = Clients.get(admin.describeTopics(List.of(TOPIC)).allTopicNames()).get(TOPIC).topicId();
        }
        raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port());
        Await.until("the coordinator serves", Duration.ofSeconds(30), () -> {
            find((short) 4, "warm-up");
            ListGroupsResponseData listed = (ListGroupsResponseData) raw.send(new ListGroupsRequestData()).data();
            return listed.errorCode() == Errors.NONE.code();
        });
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static FindCoordinatorResponseData find(short version, String group) {
        FindCoordinatorRequestData request = version >= 4
                ? new FindCoordinatorRequestData().setCoordinatorKeys(List.of(group))
                : new FindCoordinatorRequestData().setKey(group);
        return (FindCoordinatorResponseData) raw.send(request, version).data();
    }

    @Test
    void findCoordinatorAtEveryVersion() {
        for (short v = ApiKeys.FIND_COORDINATOR.oldestVersion(); v <= raw.version(ApiKeys.FIND_COORDINATOR); v++) {
            FindCoordinatorResponseData response = find(v, "g" + v);
            if (v >= 4) {
                assertEquals(1, response.coordinators().size());
                assertEquals(Errors.NONE.code(), response.coordinators().get(0).errorCode(), "v" + v);
                assertEquals(broker.port(), response.coordinators().get(0).port(), "v" + v);
            } else {
                assertEquals(Errors.NONE.code(), response.errorCode(), "v" + v);
                assertEquals(broker.port(), response.port(), "v" + v);
            }
        }
        FindCoordinatorResponseData transaction = (FindCoordinatorResponseData) raw.send(new FindCoordinatorRequestData()
                .setKeyType((byte) 1).setCoordinatorKeys(List.of("txn")), (short) 4).data();
        assertEquals(Errors.NONE.code(), transaction.coordinators().get(0).errorCode(), "the transaction coordinator");
        assertEquals(broker.port(), transaction.coordinators().get(0).port());
    }

    @Test
    void aWholeRoundAtEveryJoinGroupVersion() {
        for (short v = raw.oldestVersion(ApiKeys.JOIN_GROUP); v <= raw.version(ApiKeys.JOIN_GROUP); v++) {
            String group = "round-v" + v;
            short syncVersion = (short) Math.min(v, raw.version(ApiKeys.SYNC_GROUP));
            short heartbeatVersion = (short) (v % (raw.version(ApiKeys.HEARTBEAT) + 1));
            short leaveVersion = (short) (v % (raw.version(ApiKeys.LEAVE_GROUP) + 1));
            JoinGroupResponseData joined = join(group, "", v);
            if (v >= 4) {
                assertEquals(Errors.MEMBER_ID_REQUIRED.code(), joined.errorCode(), "v" + v);
                joined = join(group, joined.memberId(), v);
            }
            assertEquals(Errors.NONE.code(), joined.errorCode(), "JoinGroup v" + v);
            assertEquals(1, joined.generationId());
            assertEquals(joined.memberId(), joined.leader());
            assertEquals(1, joined.members().size());
            assertArrayEquals(new byte[] {1, 2, 3}, joined.members().get(0).metadata());
            if (v >= 7) {
                assertEquals("consumer", joined.protocolType());
            }

            byte[] assignment = new byte[300];
            assignment[299] = 7;
            SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(group).setMemberId(joined.memberId())
                    .setGenerationId(1).setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                            .setMemberId(joined.memberId()).setAssignment(assignment)));
            if (syncVersion >= 5) {
                sync.setProtocolType("consumer").setProtocolName("range");
            }
            SyncGroupResponseData synced = (SyncGroupResponseData) raw.send(sync, syncVersion).data();
            assertEquals(Errors.NONE.code(), synced.errorCode(), "SyncGroup v" + syncVersion);
            assertArrayEquals(assignment, synced.assignment(), "the exact assignment bytes");

            HeartbeatResponseData beat = (HeartbeatResponseData) raw.send(new HeartbeatRequestData().setGroupId(group)
                    .setMemberId(joined.memberId()).setGenerationId(1), heartbeatVersion).data();
            assertEquals(Errors.NONE.code(), beat.errorCode(), "Heartbeat v" + heartbeatVersion);

            LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId(group);
            if (leaveVersion >= 3) {
                leave.setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(joined.memberId())));
            } else {
                leave.setMemberId(joined.memberId());
            }
            LeaveGroupResponseData left = (LeaveGroupResponseData) raw.send(leave, leaveVersion).data();
            assertEquals(Errors.NONE.code(), left.errorCode(), "LeaveGroup v" + leaveVersion);
            if (leaveVersion >= 3) {
                assertEquals(Errors.NONE.code(), left.members().get(0).errorCode());
            }
        }
    }

    private static JoinGroupResponseData join(String group, String memberId, short version) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1, 2, 3}));
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setSessionTimeoutMs(6000).setProtocolType("consumer").setProtocols(protocols);
        if (version >= 1) {
            request.setRebalanceTimeoutMs(6000);
        }
        return (JoinGroupResponseData) raw.send(request, version).data();
    }

    @Test
    void commitAndFetchAtEveryOffsetVersion() {
        for (short v = raw.oldestVersion(ApiKeys.OFFSET_COMMIT); v <= raw.version(ApiKeys.OFFSET_COMMIT); v++) {
            String group = "offsets-v" + v;
            OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                    .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                            .setCommittedOffset(100 + v).setCommittedMetadata("meta-" + v)));
            if (v >= 10) {
                topic.setTopicId(topicId);
            } else {
                topic.setName(TOPIC);
            }
            OffsetCommitResponseData committed = (OffsetCommitResponseData) raw.send(new OffsetCommitRequestData()
                    .setGroupId(group).setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(List.of(topic)), v).data();
            assertEquals(Errors.NONE.code(), committed.topics().get(0).partitions().get(0).errorCode(), "OffsetCommit v" + v);
            if (v >= 10) {
                assertEquals(topicId, committed.topics().get(0).topicId());
            } else {
                assertEquals(TOPIC, committed.topics().get(0).name());
            }
        }
        String group = "offsets-v9";
        for (short v = raw.oldestVersion(ApiKeys.OFFSET_FETCH); v <= raw.version(ApiKeys.OFFSET_FETCH); v++) {
            OffsetFetchResponseData.OffsetFetchResponsePartitions p;
            if (v >= 8) {
                OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setPartitionIndexes(List.of(1));
                if (v >= 10) {
                    topic.setTopicId(topicId);
                } else {
                    topic.setName(TOPIC);
                }
                OffsetFetchResponseData fetched = (OffsetFetchResponseData) raw.send(new OffsetFetchRequestData().setGroups(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(topic)))), v).data();
                assertEquals(Errors.NONE.code(), fetched.groups().get(0).errorCode(), "OffsetFetch v" + v);
                p = fetched.groups().get(0).topics().get(0).partitions().get(0);
                if (v >= 10) {
                    assertEquals(topicId, fetched.groups().get(0).topics().get(0).topicId());
                }
            } else {
                OffsetFetchResponseData fetched = (OffsetFetchResponseData) raw.send(new OffsetFetchRequestData().setGroupId(group)
                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(TOPIC)
                                .setPartitionIndexes(List.of(1)))), v).data();
                var old = fetched.topics().get(0).partitions().get(0);
                p = new OffsetFetchResponseData.OffsetFetchResponsePartitions().setCommittedOffset(old.committedOffset())
                        .setMetadata(old.metadata()).setErrorCode(old.errorCode());
            }
            assertEquals(Errors.NONE.code(), p.errorCode(), "OffsetFetch v" + v);
            assertEquals(109, p.committedOffset(), "OffsetFetch v" + v);
            assertEquals("meta-9", p.metadata(), "OffsetFetch v" + v);
        }
    }

    @Test
    void adminGroupApisAtEveryVersion() {
        raw.send(new OffsetCommitRequestData().setGroupId("admin-group").setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC).setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))))),
                (short) 9);
        for (short v = raw.oldestVersion(ApiKeys.LIST_GROUPS); v <= raw.version(ApiKeys.LIST_GROUPS); v++) {
            ListGroupsResponseData listed = (ListGroupsResponseData) raw.send(new ListGroupsRequestData(), v).data();
            assertEquals(Errors.NONE.code(), listed.errorCode(), "ListGroups v" + v);
            assertTrue(listed.groups().stream().anyMatch(g -> g.groupId().equals("admin-group")), "ListGroups v" + v);
        }
        for (short v = raw.oldestVersion(ApiKeys.DESCRIBE_GROUPS); v <= raw.version(ApiKeys.DESCRIBE_GROUPS); v++) {
            DescribeGroupsResponseData described = (DescribeGroupsResponseData) raw.send(new DescribeGroupsRequestData()
                    .setGroups(List.of("admin-group")), v).data();
            assertEquals(Errors.NONE.code(), described.groups().get(0).errorCode(), "DescribeGroups v" + v);
            assertEquals("Empty", described.groups().get(0).groupState());
        }
        for (short v = raw.oldestVersion(ApiKeys.OFFSET_DELETE); v <= raw.version(ApiKeys.OFFSET_DELETE); v++) {
            OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId("admin-group");
            request.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(TOPIC)
                    .setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
            OffsetDeleteResponseData deleted = (OffsetDeleteResponseData) raw.send(request, v).data();
            assertEquals(Errors.NONE.code(), deleted.errorCode(), "OffsetDelete v" + v);
        }
        for (short v = raw.oldestVersion(ApiKeys.DELETE_GROUPS); v <= raw.version(ApiKeys.DELETE_GROUPS); v++) {
            DeleteGroupsResponseData deleted = (DeleteGroupsResponseData) raw.send(new DeleteGroupsRequestData()
                    .setGroupsNames(List.of("unknown-" + v)), v).data();
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), deleted.results().iterator().next().errorCode(), "DeleteGroups v" + v);
        }
    }
}
