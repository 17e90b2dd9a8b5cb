package io.millrace.coordinator.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.TaskIds;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.TopicInfo;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Streams groups without a network: heartbeats write records that are replayed into the state,
 * as on the shard; internal topics appear when the test "creates" them.
 */
class StreamsGroupsTest {
    private static final GroupRequestContext CLIENT = new GroupRequestContext("client", "/127.0.0.1", (short) 1);

    private final Map<String, TopicsView.TopicInfo> topics = new HashMap<>();
    private final TopicsView view = new TopicsView() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return Optional.ofNullable(topics.get(name));
        }

        @Override
        public Optional<TopicInfo> byId(Uuid id) {
            return topics.values().stream().filter(t -> t.id().equals(id)).findFirst();
        }

        @Override
        public Collection<TopicInfo> all() {
            return topics.values();
        }
    };
    /** The timers as scheduled: a test fires one by hand. */
    private final Map<String, Supplier<CoordinatorResult<Void>>> scheduled = new HashMap<>();
    private final CoordinatorTimer timer = new CoordinatorTimer() {
        @Override
        public void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation) {
            scheduled.put(key, operation);
        }

        @Override
        public void cancel(String key) {
            scheduled.remove(key);
        }

        @Override
        public boolean isScheduled(String key) {
            return scheduled.containsKey(key);
        }
    };
    private long now = 1_000_000L;
    private final Time clock = new Time() {
        @Override
        public long milliseconds() {
            return now;
        }

        @Override
        public long nanoseconds() {
            return now * 1_000_000L;
        }
    };
    private final List<CoordinatorRecord> log = new ArrayList<>();
    private StreamsGroups groups = new StreamsGroups(StreamsGroupConfig.defaults().withoutDelays(), view, timer, clock);

    private void topic(String name, int partitions) {
        topics.put(name, new TopicsView.TopicInfo(name, Uuid.randomUuid(), partitions));
    }

    /** Subtopology 0 reads "in" and writes "app-repartition"; 1 reads it and keeps a store. */
    private static Topology topology() {
        return new Topology().setEpoch(0).setSubtopologies(List.of(
                new Subtopology().setSubtopologyId("0").setSourceTopics(List.of("in"))
                        .setRepartitionSinkTopics(List.of("app-repartition")),
                new Subtopology().setSubtopologyId("1").setSourceTopics(List.of())
                        .setRepartitionSourceTopics(List.of(new TopicInfo().setName("app-repartition")))
                        .setStateChangelogTopics(List.of(new TopicInfo().setName("app-changelog")
                                .setTopicConfigs(List.of(new StreamsGroupHeartbeatRequestData.KeyValue()
                                        .setKey("cleanup.policy").setValue("compact")))))));
    }

    private StreamsHeartbeatOutcome heartbeat(StreamsGroupHeartbeatRequestData request) {
        CoordinatorResult<StreamsHeartbeatOutcome> result = groups.heartbeat(request, CLIENT);
        result.records().forEach(groups::replay);
        log.addAll(result.records());
        return result.response();
    }

    private static StreamsGroupHeartbeatRequestData join(String memberId, String processId) {
        return new StreamsGroupHeartbeatRequestData().setGroupId("app").setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000).setProcessId(processId).setTopology(topology())
                .setActiveTasks(List.of()).setStandbyTasks(List.of()).setWarmupTasks(List.of());
    }

    private static StreamsGroupHeartbeatRequestData beat(String memberId, int epoch, List<TaskIds> owned) {
        return new StreamsGroupHeartbeatRequestData().setGroupId("app").setMemberId(memberId).setMemberEpoch(epoch)
                .setActiveTasks(owned);
    }

    private static int count(List<StreamsGroupHeartbeatResponseData.TaskIds> tasks) {
        return tasks == null ? -1 : tasks.stream().mapToInt(t -> t.partitions().size()).sum();
    }

    private static List<TaskIds> owned(List<StreamsGroupHeartbeatResponseData.TaskIds> tasks) {
        return tasks.stream().map(t -> new TaskIds().setSubtopologyId(t.subtopologyId())
                .setPartitions(new ArrayList<>(t.partitions()))).toList();
    }

    @Test
    void missingInternalTopicsAreReportedAndAskedForThenTasksAreAssigned() {
        topic("in", 3);
        StreamsHeartbeatOutcome first = heartbeat(join("m1", "p1"));
        assertEquals(Errors.NONE.code(), first.response().errorCode());
        assertEquals(ConfiguredTopology.MISSING_INTERNAL_TOPICS, first.response().status().get(0).statusCode());
        assertEquals(List.of("app-repartition", "app-changelog"),
                first.topicsToCreate().stream().map(ConfiguredTopology.TopicToCreate::name).toList());
        assertTrue(first.topicsToCreate().stream().allMatch(t -> t.partitions() == 3));
        assertEquals(Map.of("cleanup.policy", "compact"), first.topicsToCreate().get(1).configs());
        assertEquals(0, count(first.response().activeTasks()));

        topic("app-repartition", 3);
        topic("app-changelog", 3);
        StreamsHeartbeatOutcome second = heartbeat(beat("m1", first.response().memberEpoch(), List.of()));
        assertTrue(second.response().status().isEmpty(), second.response().toString());
        assertEquals(6, count(second.response().activeTasks()));
        assertEquals(2, second.response().memberEpoch());
        assertEquals("Stable", groups.listGroups().get(0).groupState());
    }

    @Test
    void aJoiningMemberGetsTasksOnlyOnceTheOtherRevokedThem() {
        topic("in", 2);
        topic("app-repartition", 2);
        topic("app-changelog", 2);
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa"));
        assertEquals(4, count(a.response().activeTasks()));
        int epochA = a.response().memberEpoch();

        StreamsHeartbeatOutcome b = heartbeat(join("b", "pb"));
        assertEquals(0, count(b.response().activeTasks()), "a still owns them");
        int epochB = b.response().memberEpoch();

        StreamsHeartbeatOutcome revoke = heartbeat(beat("a", epochA, null));
        assertEquals(2, count(revoke.response().activeTasks()), "a keeps two and revokes two");
        assertEquals(epochA, revoke.response().memberEpoch(), "epoch held back while revoking");

        StreamsHeartbeatOutcome revoked = heartbeat(beat("a", epochA, owned(revoke.response().activeTasks())));
        assertTrue(revoked.response().memberEpoch() > epochA);

        StreamsHeartbeatOutcome granted = heartbeat(beat("b", epochB, List.of()));
        assertEquals(2, count(granted.response().activeTasks()));
        assertEquals("Stable", groups.listGroups().get(0).groupState());

        // a restart replays the same state
        StreamsGroups replayed = new StreamsGroups(StreamsGroupConfig.defaults().withoutDelays(), view, timer, clock);
        log.forEach(replayed::replay);
        assertEquals(groups.describe("app"), replayed.describe("app"));
    }

    @Test
    void standbysGoToAnotherProcess() {
        topic("in", 2);
        topic("app-repartition", 2);
        topic("app-changelog", 2);
        groups = new StreamsGroups(new StreamsGroupConfig(45_000, 5_000, Integer.MAX_VALUE, 1, 60_000, 10_000, 2, 0, 0, List.of(),
                io.millrace.coordinator.GroupConfigOverrides.NONE), view, timer, clock);
        heartbeat(join("a", "p1"));
        heartbeat(join("a2", "p1"));
        heartbeat(join("b", "p2"));
        var described = groups.describe("app");
        for (var m : described.members()) {
            var target = m.targetAssignment();
            for (var standby : target.standbyTasks()) {
                for (int p : standby.partitions()) {
                    for (var other : described.members()) {
                        if (other.processId().equals(m.processId())) {
                            assertTrue(other.targetAssignment().activeTasks().stream().noneMatch(t ->
                                    t.subtopologyId().equals(standby.subtopologyId()) && t.partitions().contains(p)),
                                    "standby " + standby.subtopologyId() + "_" + p + " beside its active copy");
                        }
                    }
                }
            }
        }
        int standbys = described.members().stream().mapToInt(m -> m.targetAssignment().standbyTasks().stream()
                .mapToInt(t -> t.partitions().size()).sum()).sum();
        assertEquals(4, standbys, "one standby per task");
    }

    @Test
    void unknownMembersAndStaleEpochsAreRefused() {
        topic("in", 1);
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat(beat("x", 3, null)).response().errorCode());
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa"));
        assertEquals(Errors.FENCED_MEMBER_EPOCH.code(),
                heartbeat(beat("a", a.response().memberEpoch() + 5, null)).response().errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join("a", "pa").setTopology(null)).response().errorCode());
        StreamsHeartbeatOutcome left = heartbeat(beat("a", -1, null));
        assertEquals(-1, left.response().memberEpoch());
        assertTrue(groups.isEmpty("app"));
    }

    @Test
    void aMemberAskingForShutdownIsEchoedToEveryMember() {
        topic("in", 1);
        topic("app-repartition", 1);
        topic("app-changelog", 1);
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa"));
        StreamsHeartbeatOutcome b = heartbeat(join("b", "pb"));
        heartbeat(beat("a", a.response().memberEpoch(), null).setShutdownApplication(true));
        StreamsHeartbeatOutcome told = heartbeat(beat("b", b.response().memberEpoch(), null));
        assertTrue(told.response().status().stream().anyMatch(st -> st.statusCode() == 4), told.response().toString());
    }

    private void fire(String key) {
        CoordinatorResult<Void> result = scheduled.remove(key).get();
        result.records().forEach(groups::replay);
        log.addAll(result.records());
    }

    private void allTopics(int partitions) {
        topic("in", partitions);
        topic("app-repartition", partitions);
        topic("app-changelog", partitions);
    }

    private static boolean delayed(StreamsHeartbeatOutcome o) {
        return o.response().status().stream().anyMatch(st -> st.statusCode() == StreamsMembership.ASSIGNMENT_DELAYED);
    }

    @Test
    void theFirstAssignmentWaitsForTheInitialDelayThenAtMostOneAnAssignmentInterval() {
        allTopics(2);
        groups = new StreamsGroups(new StreamsGroupConfig(45_000, 5_000, Integer.MAX_VALUE, 0, 60_000, 10_000, 2, 3_000,
                1_000, List.of(), io.millrace.coordinator.GroupConfigOverrides.NONE), view, timer, clock);
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa"));
        assertTrue(delayed(a));
        assertEquals(0, count(a.response().activeTasks()));
        assertTrue(a.response().heartbeatIntervalMs() <= 3_000, "told to come back when the delay ends");
        now += 1_000;
        StreamsHeartbeatOutcome b = heartbeat(join("b", "pb"));
        assertTrue(delayed(b));
        assertEquals(0, count(b.response().activeTasks()));

        now += 2_000;
        StreamsHeartbeatOutcome assigned = heartbeat(beat("a", a.response().memberEpoch(), List.of()));
        assertTrue(!delayed(assigned));
        assertEquals(2, count(assigned.response().activeTasks()), "both members were there for the first assignment");

        now += 100;
        StreamsHeartbeatOutcome c = heartbeat(join("c", "pc"));
        assertTrue(delayed(c), "within the assignment interval of the last one");
        now += 900;
        StreamsHeartbeatOutcome later = heartbeat(beat("c", c.response().memberEpoch(), List.of()));
        assertTrue(!delayed(later));
        assertEquals(groups.describe("app").groupEpoch(), groups.describe("app").assignmentEpoch());

        StreamsGroups replayed = new StreamsGroups(StreamsGroupConfig.defaults(), view, timer, clock);
        log.forEach(replayed::replay);
        assertEquals(groups.describe("app"), replayed.describe("app"));
    }

    @Test
    void aStaticMemberLeavingKeepsItsTasksUntilItsInstanceRejoins() {
        allTopics(2);
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa").setInstanceId("i1"));
        StreamsHeartbeatOutcome b = heartbeat(join("b", "pb"));
        heartbeat(beat("a", a.response().memberEpoch(), null));
        StreamsHeartbeatOutcome a2 = heartbeat(beat("a", groups.describe("app").members().stream()
                .filter(m -> m.memberId().equals("a")).findFirst().orElseThrow().memberEpoch(), List.of()));
        int epochB = groups.describe("app").members().stream().filter(m -> m.memberId().equals("b")).findFirst()
                .orElseThrow().memberEpoch();
        heartbeat(beat("b", epochB, List.of()));
        var before = groups.describe("app");
        List<?> tasksOfA = before.members().stream().filter(m -> m.memberId().equals("a")).findFirst().orElseThrow()
                .assignment().activeTasks();
        assertTrue(!tasksOfA.isEmpty());

        assertEquals(Errors.UNRELEASED_INSTANCE_ID.code(),
                heartbeat(join("a-new", "pa").setInstanceId("i1")).response().errorCode(), "a is still there");
        StreamsHeartbeatOutcome left = heartbeat(beat("a", a2.response().memberEpoch(), null).setMemberEpoch(-2));
        assertEquals(-2, left.response().memberEpoch());
        var afterLeave = groups.describe("app");
        assertEquals(before.groupEpoch(), afterLeave.groupEpoch(), "no rebalance: the tasks wait for the instance");
        assertEquals(2, afterLeave.members().size());
        StreamsHeartbeatOutcome bBeat = heartbeat(beat("b", epochB, null));
        assertEquals(Errors.NONE.code(), bBeat.response().errorCode());

        StreamsHeartbeatOutcome back = heartbeat(join("a-new", "pa").setInstanceId("i1"));
        assertEquals(Errors.NONE.code(), back.response().errorCode());
        assertEquals(tasksOfA.toString(), back.response().activeTasks().toString().replace(
                "StreamsGroupHeartbeatResponseData", "StreamsGroupDescribeResponseData"), "its tasks at once");
        assertEquals(before.groupEpoch(), groups.describe("app").groupEpoch());
        assertEquals(2, groups.describe("app").members().size());
        assertEquals(Errors.FENCED_INSTANCE_ID.code(), heartbeat(beat("a", a2.response().memberEpoch(), null)
                .setInstanceId("i1")).response().errorCode(), "the old member is fenced");
    }

    @Test
    void aStaticMemberThatDoesNotComeBackIsRemovedWhenItsSessionEnds() {
        allTopics(1);
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa").setInstanceId("i1"));
        heartbeat(join("b", "pb"));
        int epoch = groups.describe("app").groupEpoch();
        heartbeat(beat("a", a.response().memberEpoch(), null).setMemberEpoch(-2));
        fire(StreamsMembership.sessionKey("app", "a"));
        assertEquals(1, groups.describe("app").members().size());
        assertEquals(epoch + 1, groups.describe("app").groupEpoch(), "now the others take its tasks");
    }

    @Test
    void aWarmupThatCatchesUpBumpsTheGroupEpochAndTakesTheActiveTask() {
        allTopics(2);
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa"));
        StreamsHeartbeatOutcome b = heartbeat(join("b", "pb"));
        var targetB = groups.describe("app").members().stream().filter(m -> m.memberId().equals("b")).findFirst()
                .orElseThrow().targetAssignment();
        assertEquals(1, targetB.warmupTasks().stream().mapToInt(t -> t.partitions().size()).sum(),
                "b warms up the stateful task the balance gives it; a keeps it active meanwhile");
        int warm = targetB.warmupTasks().get(0).partitions().get(0);
        int epoch = groups.describe("app").groupEpoch();
        heartbeat(beat("a", a.response().memberEpoch(), null).setTaskEndOffsets(List.of(
                new StreamsGroupHeartbeatRequestData.TaskOffset().setSubtopologyId("1").setPartition(warm)
                        .setOffset(50_000))));
        assertEquals(epoch, groups.describe("app").groupEpoch(), "end offsets alone change no assignment");
        heartbeat(beat("b", b.response().memberEpoch(), null).setTaskOffsets(List.of(
                new StreamsGroupHeartbeatRequestData.TaskOffset().setSubtopologyId("1").setPartition(warm)
                        .setOffset(45_000))));
        assertEquals(epoch + 1, groups.describe("app").groupEpoch(), "caught up within the acceptable lag");
        var after = groups.describe("app").members().stream().filter(m -> m.memberId().equals("b")).findFirst()
                .orElseThrow().targetAssignment();
        assertTrue(after.activeTasks().stream().anyMatch(t -> t.subtopologyId().equals("1")
                && t.partitions().contains(warm)), after.toString());
        assertTrue(after.warmupTasks().isEmpty());
    }

    @Test
    void theShutdownRequestIsInTheMemberRecordAndSurvivesAReplay() {
        allTopics(1);
        StreamsHeartbeatOutcome a = heartbeat(join("a", "pa"));
        heartbeat(join("b", "pb"));
        heartbeat(beat("a", a.response().memberEpoch(), null).setShutdownApplication(true));
        groups = new StreamsGroups(StreamsGroupConfig.defaults().withoutDelays(), view, timer, clock);
        log.forEach(groups::replay);
        assertEquals("a", groups.group("app").shutdownRequestedBy());
        heartbeat(beat("a", -1, null));
        assertEquals("a", groups.group("app").shutdownRequestedBy(), "kept until the group is empty");
    }
}
