package io.millrace.coordinator.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.runtime.BatchProducer;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorShard;
import io.millrace.coordinator.runtime.TransactionMarker;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Classic group operations whose append fails, through the real runtime: the group stays exactly
 * as it was (members, generation, state, timers), and the request gets the append's error.
 */
@Timeout(30)
class ClassicGroupFailedAppendTest {
    private static final GroupRequestContext V9 = new GroupRequestContext("client", "/127.0.0.1", (short) 9);
    private static final GroupRequestContext V3 = new GroupRequestContext("client", "/127.0.0.1", (short) 3);

    /** An in-memory partition log whose appends fail while {@code failure} is set. */
    private static final class FlakyLog implements CoordinatorLog {
        final List<CoordinatorRecord> records = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        @Override
        public Appended append(int partition, BatchProducer producer, List<CoordinatorRecord> batch) {
            if (failure != null) {
                throw failure;
            }
            long base = records.size();
            records.addAll(batch);
            return new Appended(base, CompletableFuture.completedFuture(null));
        }

        @Override
        public Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch,
                                                   int coordinatorEpoch, TransactionMarker marker) {
            throw new UnsupportedOperationException("no transactions here");
        }


        @Override
        public void readAll(int partition, RecordSink sink) {
            for (int i = 0; i < records.size(); i++) {
                sink.record(i, CoordinatorShard.NO_PRODUCER_ID, CoordinatorShard.NO_PRODUCER_EPOCH, records.get(i));
            }
        }
    }

    private static final TopicsView NO_TOPICS = new TopicsView() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<TopicInfo> byId(Uuid id) {
            return Optional.empty();
        }

        @Override
        public Collection<TopicInfo> all() {
            return List.of();
        }
    };

    private final FlakyLog log = new FlakyLog();
    private final GroupCoordinatorService service = new GroupCoordinatorService(
            new GroupCoordinatorConfig(1, 1, 60_000, 60_000, 4096, 0, 1_000, 60_000, 100), log, NO_TOPICS,
            Time.SYSTEM, GroupTypeConfigs.defaults());

    @AfterEach
    void close() {
        service.close();
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<JoinGroupResponseData> joinStatic(String instanceId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1}));
        return service.joinGroup(V9, new JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setGroupInstanceId(instanceId).setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(20_000)
                .setProtocolType("consumer").setProtocols(protocols));
    }

    private DescribedGroup describe() throws Exception {
        return done(service.describeGroups(V9, List.of("g"))).get(0);
    }

    /** A static member alone in a Stable group at generation 1, with assignment {7}. */
    private JoinGroupResponseData stableGroup() throws Exception {
        service.onElection(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!service.isActive(0)) {
            assertTrue(System.nanoTime() < deadline, "loaded");
            Thread.sleep(5);
        }
        JoinGroupResponseData joined = done(joinStatic("instance-1"));
        assertEquals(Errors.NONE.code(), joined.errorCode());
        SyncGroupResponseData synced = done(service.syncGroup(V9, new SyncGroupRequestData().setGroupId("g")
                .setMemberId(joined.memberId()).setGroupInstanceId("instance-1").setGenerationId(joined.generationId())
                .setProtocolType("consumer").setProtocolName("range")
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(joined.memberId()).setAssignment(new byte[] {7})))));
        assertArrayEquals(new byte[] {7}, synced.assignment());
        return joined;
    }

    private void assertUnchanged(JoinGroupResponseData joined) throws Exception {
        DescribedGroup group = describe();
        assertEquals("Stable", group.groupState());
        assertEquals(1, group.members().size());
        assertEquals(joined.memberId(), group.members().get(0).memberId());
        assertArrayEquals(new byte[] {7}, group.members().get(0).memberAssignment());
        short heartbeat = done(service.heartbeat(V9, new HeartbeatRequestData().setGroupId("g")
                .setMemberId(joined.memberId()).setGroupInstanceId("instance-1")
                .setGenerationId(joined.generationId()))).errorCode();
        assertEquals(Errors.NONE.code(), heartbeat, "the member still belongs to generation " + joined.generationId());
    }

    @Test
    void aStaticMemberRejoiningWhoseRecordCannotBeAppendedLeavesTheGroupAsItWas() throws Exception {
        JoinGroupResponseData joined = stableGroup();
        int recordsBefore = log.records.size();
        log.failure = Errors.NOT_COORDINATOR.exception("lost leadership");

        JoinGroupResponseData rejoined = done(joinStatic("instance-1"));

        assertEquals(Errors.NOT_COORDINATOR.code(), rejoined.errorCode());
        assertEquals(recordsBefore, log.records.size());
        assertUnchanged(joined);
    }

    @Test
    void theLastMemberLeavingWhoseRecordCannotBeAppendedLeavesTheGroupAsItWas() throws Exception {
        JoinGroupResponseData joined = stableGroup();
        log.failure = Errors.COORDINATOR_NOT_AVAILABLE.exception("not enough replicas");
        LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                new MemberIdentity().setMemberId(joined.memberId()).setGroupInstanceId("instance-1")));

        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), done(service.leaveGroup(V3, leave)).errorCode());
        assertUnchanged(joined);

        log.failure = null;
        assertEquals(Errors.NONE.code(), done(service.leaveGroup(V3, leave)).errorCode());
        assertEquals("Empty", describe().groupState());
    }
}
