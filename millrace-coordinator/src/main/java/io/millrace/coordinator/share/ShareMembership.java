package io.millrace.coordinator.share;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.consumer.PartitionSet;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ShareGroupHeartbeat as a write operation (join with epoch 0, heartbeat, leave with -1) and the
 * removal of a member whose session timed out. Each returns the records that make the change and
 * the response; none changes state itself.
 *
 * <p>Assignment: every member gets every partition of the topics it subscribes to that exist now
 * (share groups let any number of members read a partition; the share-partition leader hands each
 * record to one of them). A member's assignment therefore depends only on its own subscription and
 * the topics, never on the other members, and it takes effect at once: there is nothing to revoke.
 * Each change of membership or of an assignment bumps the group epoch; a member whose assignment
 * changes takes that epoch. Not thread-safe: runs on its shard's thread.
 */
final class ShareMembership {
    static final int JOIN_EPOCH = 0;
    static final int LEAVE_EPOCH = -1;
    private static final Logger LOG = LoggerFactory.getLogger(ShareMembership.class);

    private final ShareGroupConfig config;
    private final Function<String, ShareGroup> groups;
    private final TopicsView topics;
    private final CoordinatorTimer timer;

    private final LongAdder rebalances;

    ShareMembership(ShareGroupConfig config, Function<String, ShareGroup> groups, TopicsView topics,
                    CoordinatorTimer timer, LongAdder rebalances) {
        this.config = config;
        this.groups = groups;
        this.topics = topics;
        this.timer = timer;
        this.rebalances = rebalances;
    }

    static String sessionKey(String groupId, String memberId) {
        return "share-session/" + groupId + "/" + memberId;
    }

    CoordinatorResult<ShareGroupHeartbeatResponseData> heartbeat(ShareGroupHeartbeatRequestData request,
                                                                 GroupRequestContext client) {
        try {
            validate(request);
            return request.memberEpoch() == LEAVE_EPOCH ? leave(request) : joinOrHeartbeat(request, client);
        } catch (ApiException e) {
            return CoordinatorResult.of(new ShareGroupHeartbeatResponseData()
                    .setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage()));
        }
    }

    /** Removes a member whose session ended; no records when it has gone already. */
    CoordinatorResult<Void> expire(String groupId, String memberId) {
        ShareGroup group = groups.apply(groupId);
        if (group == null || group.member(memberId) == null) {
            return CoordinatorResult.of(null);
        }
        LOG.info("Removing member {} from share group {}: session timed out after {} ms", memberId, groupId,
                config.sessionTimeoutMs(groupId));
        return new CoordinatorResult<>(removal(group, memberId), null);
    }

    /** After a load: every member gets a full session. */
    void afterLoad(ShareGroup group) {
        group.members().keySet().forEach(id -> scheduleSession(group.groupId(), id));
    }

    /** The timers of a group being deleted or unloaded. */
    void cancelAll(ShareGroup group) {
        group.members().keySet().forEach(id -> timer.cancel(sessionKey(group.groupId(), id)));
    }

    private static void validate(ShareGroupHeartbeatRequestData request) {
        if (request.memberId() == null || request.memberId().isEmpty()) {
            throw Errors.INVALID_REQUEST.exception("MemberId can't be empty.");
        }
        if (request.rackId() != null && request.rackId().isEmpty()) {
            throw Errors.INVALID_REQUEST.exception("RackId can't be empty.");
        }
        if (request.memberEpoch() < LEAVE_EPOCH) {
            throw Errors.INVALID_REQUEST.exception("MemberEpoch is invalid.");
        }
        if (request.memberEpoch() == JOIN_EPOCH
                && (request.subscribedTopicNames() == null || request.subscribedTopicNames().isEmpty())) {
            throw Errors.INVALID_REQUEST.exception("SubscribedTopicNames must be set in first request.");
        }
    }

    private CoordinatorResult<ShareGroupHeartbeatResponseData> joinOrHeartbeat(ShareGroupHeartbeatRequestData request,
                                                                               GroupRequestContext client) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        ShareGroup group = groups.apply(groupId);
        ShareMember existing = group == null ? null : group.member(memberId);
        if (existing == null && request.memberEpoch() != JOIN_EPOCH) {
            throw Errors.UNKNOWN_MEMBER_ID.exception("Member " + memberId + " is not in share group " + groupId);
        }
        if (existing != null && request.memberEpoch() != JOIN_EPOCH && request.memberEpoch() != existing.memberEpoch()) {
            throw Errors.FENCED_MEMBER_EPOCH.exception("The member epoch " + request.memberEpoch()
                    + " does not match the coordinator's " + existing.memberEpoch());
        }
        if (existing == null && group != null && group.members().size() >= config.maxSize()) {
            throw Errors.GROUP_MAX_SIZE_REACHED.exception("Share group " + groupId + " has reached its maximum size of "
                    + config.maxSize() + " members");
        }
        List<String> subscribed = request.subscribedTopicNames() != null
                ? List.copyOf(new TreeSet<>(request.subscribedTopicNames()))
                : existing.subscribedTopicNames();
        String rackId = request.rackId() != null ? request.rackId() : existing == null ? null : existing.rackId();
        PartitionSet assignment = assignment(subscribed);
        int groupEpoch = group == null ? 0 : group.groupEpoch();

        List<CoordinatorRecord> records = new ArrayList<>();
        ShareMember next;
        boolean rejoin = existing != null && request.memberEpoch() == JOIN_EPOCH;
        if (existing == null || rejoin || !assignment.equals(existing.assignment())
                || !subscribed.equals(existing.subscribedTopicNames()) || !Objects.equals(rackId, existing.rackId())) {
            groupEpoch++;
            records.add(ShareGroupRecords.groupMetadata(groupId, groupEpoch));
            rebalances.increment();
            next = new ShareMember(memberId, rackId, client.clientId(), client.clientHost(), subscribed, groupEpoch,
                    assignment);
            records.add(ShareGroupRecords.member(groupId, next));
            if (existing == null) {
                LOG.info("Member {} joined share group {} (epoch {}, client {} {})", memberId, groupId, groupEpoch,
                        client.clientId(), client.clientHost());
            }
        } else {
            next = existing;
        }
        records.addAll(stateTopicsRecord(groupId, group, assignedTopics(subscribed)));
        scheduleSession(groupId, memberId);
        ShareGroupHeartbeatResponseData response = new ShareGroupHeartbeatResponseData()
                .setMemberId(memberId)
                .setMemberEpoch(next.memberEpoch())
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs(groupId));
        if (request.memberEpoch() != next.memberEpoch() || request.subscribedTopicNames() != null) {
            response.setAssignment(wireAssignment(next.assignment()));
        }
        return new CoordinatorResult<>(records, response);
    }

    private CoordinatorResult<ShareGroupHeartbeatResponseData> leave(ShareGroupHeartbeatRequestData request) {
        ShareGroup group = groups.apply(request.groupId());
        if (group == null || group.member(request.memberId()) == null) {
            throw Errors.UNKNOWN_MEMBER_ID.exception("Member " + request.memberId() + " is not in share group "
                    + request.groupId());
        }
        LOG.info("Member {} left share group {}", request.memberId(), request.groupId());
        return new CoordinatorResult<>(removal(group, request.memberId()), new ShareGroupHeartbeatResponseData()
                .setMemberId(request.memberId()).setMemberEpoch(LEAVE_EPOCH));
    }

    private List<CoordinatorRecord> removal(ShareGroup group, String memberId) {
        timer.cancel(sessionKey(group.groupId(), memberId));
        rebalances.increment();
        return List.of(ShareGroupRecords.groupMetadata(group.groupId(), group.groupEpoch() + 1),
                ShareGroupRecords.tombstone(ShareGroupRecords.MEMBER, group.groupId(), memberId));
    }

    /**
     * The record adding {@code topics} to the group's state topics (a new group has none), or none
     * when it has them all: a member assigned a topic may read it, so the group may have state there.
     */
    static List<CoordinatorRecord> stateTopicsRecord(String groupId, ShareGroup group, Map<Uuid, String> topics) {
        Map<Uuid, String> known = group == null ? Map.of() : group.stateTopics();
        if (known.keySet().containsAll(topics.keySet())) {
            return List.of();
        }
        Map<Uuid, String> all = new LinkedHashMap<>(known);
        all.putAll(topics);
        return List.of(ShareGroupRecords.stateTopics(groupId, all));
    }

    /** The subscribed topics that exist now, by id. */
    private Map<Uuid, String> assignedTopics(List<String> subscribed) {
        Map<Uuid, String> ids = new LinkedHashMap<>();
        for (String name : subscribed) {
            topics.byName(name).ifPresent(t -> ids.put(t.id(), name));
        }
        return ids;
    }

    /** Every partition of every subscribed topic that exists now. */
    private PartitionSet assignment(List<String> subscribed) {
        PartitionSet.Builder builder = PartitionSet.builder();
        for (String name : subscribed) {
            topics.byName(name).ifPresent(t -> {
                for (int p = 0; p < t.partitions(); p++) {
                    builder.add(t.id(), p);
                }
            });
        }
        return builder.build();
    }

    private static ShareGroupHeartbeatResponseData.Assignment wireAssignment(PartitionSet partitions) {
        List<ShareGroupHeartbeatResponseData.TopicPartitions> list = new ArrayList<>();
        partitions.asMap().forEach((topicId, ids) -> list.add(new ShareGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(topicId).setPartitions(new ArrayList<>(ids))));
        return new ShareGroupHeartbeatResponseData.Assignment().setTopicPartitions(list);
    }

    private void scheduleSession(String groupId, String memberId) {
        timer.schedule(sessionKey(groupId, memberId), config.sessionTimeoutMs(groupId), () -> expire(groupId, memberId));
    }
}
