package io.millrace.coordinator.consumer;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupRequestContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Plays the coordinator shard around a {@link ConsumerGroups}: runs a write operation, appends
 * its records to a log and replays them; fires timers; restarts from the log. Also simulates
 * well-behaved clients ({@link Client}) that take and give up partitions as told.
 */
final class GroupHarness {
    static final String GROUP = "g";
    static final Time CLOCK = new Time() {
        @Override
        public long milliseconds() {
            return 1_000;
        }

        @Override
        public long nanoseconds() {
            return 1_000_000_000L;
        }
    };
    static final GroupRequestContext CLIENT = new GroupRequestContext("client-1", "/127.0.0.1", (short) 1);

    final FakeTopics topics = new FakeTopics();
    final ManualTimer timer = new ManualTimer();
    final List<CoordinatorRecord> log = new ArrayList<>();
    final ConsumerGroupConfig config;
    ConsumerGroups groups;
    long now = 1_000;

    GroupHarness() {
        this(ConsumerGroupConfig.defaults());
    }

    GroupHarness(ConsumerGroupConfig config) {
        this.config = config;
        this.groups = newGroups();
    }

    ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return send(request, CLIENT);
    }

    ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request, GroupRequestContext client) {
        CoordinatorResult<ConsumerGroupHeartbeatResponseData> result = groups.heartbeat(request, client, now);
        append(result.records());
        return result.response();
    }

    void fire(String key) {
        CoordinatorResult<Void> result = timer.fire(key);
        assertNull(result.response());
        append(result.records());
    }

    void append(List<CoordinatorRecord> records) {
        for (CoordinatorRecord record : records) {
            log.add(record);
            groups.replay(record);
        }
    }

    /** A new ConsumerGroups replaying the whole log, as after a broker restart. */
    void restart() {
        groups = newGroups();
        log.forEach(groups::replay);
        groups.onLoaded();
    }

    private ConsumerGroups newGroups() {
        return new ConsumerGroups(config, topics, timer, CLOCK);
    }

    static ConsumerGroupHeartbeatRequestData join(String memberId, List<String> topics) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(300_000).setSubscribedTopicNames(topics).setTopicPartitions(List.of());
    }

    static ConsumerGroupHeartbeatRequestData beat(String memberId, int epoch) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch);
    }

    static ConsumerGroupHeartbeatRequestData beat(String memberId, int epoch, PartitionSet owned) {
        return beat(memberId, epoch).setTopicPartitions(owned(owned));
    }

    static List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned(PartitionSet owned) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> list = new ArrayList<>();
        owned.asMap().forEach((topic, partitions) -> list.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                .setTopicId(topic).setPartitions(new ArrayList<>(partitions))));
        return list;
    }

    static PartitionSet assigned(ConsumerGroupHeartbeatResponseData response) {
        if (response.assignment() == null) {
            return null;
        }
        PartitionSet.Builder builder = PartitionSet.builder();
        response.assignment().topicPartitions().forEach(t -> builder.addAll(t.topicId(), t.partitions()));
        return builder.build();
    }

    static void assertError(Errors expected, ConsumerGroupHeartbeatResponseData response) {
        assertEquals(expected, Errors.forCode(response.errorCode()), response.errorMessage());
    }

    /**
     * A client that behaves like kafka-clients' consumer: it joins with epoch 0, takes new
     * partitions and gives up revoked ones as soon as a response says so, reports what it owns
     * when that changed, and rejoins after being fenced.
     */
    final class Client {
        final String memberId;
        final List<String> subscription;
        int epoch;
        PartitionSet owned = PartitionSet.EMPTY;
        boolean ownedChanged;
        boolean joined;
        String regex;

        Client(String memberId, String... topics) {
            this.memberId = memberId;
            this.subscription = List.of(topics);
        }

        ConsumerGroupHeartbeatResponseData heartbeat() {
            ConsumerGroupHeartbeatRequestData request;
            if (!joined) {
                request = join(memberId, subscription).setSubscribedTopicRegex(regex);
            } else {
                request = beat(memberId, epoch);
                if (ownedChanged) {
                    request.setTopicPartitions(owned(owned));
                }
            }
            ownedChanged = false;
            ConsumerGroupHeartbeatResponseData response = send(request);
            Errors error = Errors.forCode(response.errorCode());
            if (error == Errors.FENCED_MEMBER_EPOCH || error == Errors.UNKNOWN_MEMBER_ID) {
                owned = PartitionSet.EMPTY;
                joined = false;
                epoch = 0;
                return response;
            }
            if (error != Errors.NONE) {
                fail("Heartbeat of " + memberId + " failed: " + error + " " + response.errorMessage());
            }
            joined = true;
            epoch = response.memberEpoch();
            PartitionSet assignment = assigned(response);
            if (assignment != null && !assignment.equals(owned)) {
                owned = assignment;
                ownedChanged = true;
            }
            return response;
        }

        void leave() {
            ConsumerGroupHeartbeatResponseData response = send(beat(memberId, GroupMembership.LEAVE_EPOCH));
            assertError(Errors.NONE, response);
            owned = PartitionSet.EMPTY;
            joined = false;
        }
    }

    /** Fails if two clients own one partition at once. */
    static void assertNoPartitionOwnedTwice(List<Client> clients) {
        Map<PartitionRef, String> owners = new HashMap<>();
        for (Client client : clients) {
            for (PartitionRef p : client.owned.list()) {
                String other = owners.put(p, client.memberId);
                if (other != null) {
                    fail(p + " is owned by both " + other + " and " + client.memberId);
                }
            }
        }
    }
}
