package io.millrace.coordinator.group;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.classic.ClassicGroup;
import io.millrace.coordinator.classic.ClassicGroups;
import io.millrace.coordinator.offsets.CommittedOffset;
import io.millrace.coordinator.offsets.OffsetRecords;
import io.millrace.coordinator.offsets.OffsetStore;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit, OffsetFetch and OffsetDelete against one shard's offsets, with the checks of the
 * group's {@link GroupType}. Runs on the shard's thread; offsets change only when the
 * records returned here are replayed.
 */
final class OffsetOperations {
    /** From this version OffsetCommit and OffsetFetch name topics by id. */
    static final short TOPIC_ID_VERSION = 10;

    private final OffsetStore offsets;
    private final ClassicGroups classic;
    private final GroupTypes types;
    private final TopicsView topics;
    private final GroupCoordinatorConfig config;
    private final Time time;

    OffsetOperations(OffsetStore offsets, ClassicGroups classic, GroupTypes types, TopicsView topics,
                     GroupCoordinatorConfig config, Time time) {
        this.offsets = offsets;
        this.classic = classic;
        this.types = types;
        this.topics = topics;
        this.config = config;
        this.time = time;
    }

    CoordinatorResult<OffsetCommitResponseData> commit(GroupRequestContext context, OffsetCommitRequestData request) {
        String groupId = request.groupId();
        Errors groupError;
        if (!GroupIds.isValid(groupId)) {
            groupError = Errors.INVALID_GROUP_ID;
        } else {
            groupError = types.ownerOrDefault(groupId).validateOffsetCommit(groupId, request.memberId(),
                    request.generationIdOrMemberEpoch(), request.groupInstanceId(), context.apiVersion());
        }
        boolean byId = context.apiVersion() >= TOPIC_ID_VERSION;
        long now = time.milliseconds();
        long expire = request.retentionTimeMs() > 0 ? now + request.retentionTimeMs() : -1;
        List<CoordinatorRecord> records = new ArrayList<>();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic out = new OffsetCommitResponseTopic();
            if (byId) {
                out.setTopicId(topic.topicId());
            } else {
                out.setName(topic.name());
            }
            response.topics().add(out);
            Optional<TopicsView.TopicInfo> info = byId ? topics.byId(topic.topicId()) : topics.byName(topic.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                Errors error = groupError;
                if (error == Errors.NONE) {
                    if (info.isEmpty() || p.partitionIndex() < 0 || p.partitionIndex() >= info.get().partitions()) {
                        error = byId && info.isEmpty() ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    } else if (p.committedMetadata() != null
                            && p.committedMetadata().length() > config.offsetMetadataMaxBytes()) {
                        error = Errors.OFFSET_METADATA_TOO_LARGE;
                    } else {
                        TopicPartition tp = new TopicPartition(info.get().name(), p.partitionIndex());
                        records.add(OffsetRecords.commit(groupId, tp, new CommittedOffset(p.committedOffset(),
                                p.committedLeaderEpoch(), p.committedMetadata() == null ? "" : p.committedMetadata(),
                                now, expire)));
                    }
                }
                out.partitions().add(new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
        }
        return new CoordinatorResult<>(records, response);
    }

    /**
     * One group of an OffsetFetch; offsets never committed answer -1 with NONE (compat item 4). With
     * {@code requireStable} (v7+), a partition with an offset pending in an open transaction answers
     * UNSTABLE_OFFSET_COMMIT (per partition in every version, as Kafka), and the consumer retries.
     */
    OffsetFetchResponseGroup fetch(GroupRequestContext context, OffsetFetchRequestGroup request, boolean requireStable) {
        String groupId = request.groupId();
        OffsetFetchResponseGroup out = new OffsetFetchResponseGroup().setGroupId(groupId);
        if (!GroupIds.isValid(groupId)) {
            return out.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        Errors memberError = types.owner(groupId).map(t -> t.validateOffsetFetch(groupId, request.memberId(),
                request.memberEpoch())).orElse(Errors.NONE);
        if (memberError != Errors.NONE) {
            return out.setErrorCode(memberError.code());
        }
        boolean byId = context.apiVersion() >= TOPIC_ID_VERSION;
        if (request.topics() == null) {
            Map<String, List<OffsetFetchResponsePartitions>> byTopic = new TreeMap<>();
            Map<TopicPartition, CommittedOffset> all = new HashMap<>(offsets.offsets(groupId));
            if (requireStable) {
                offsets.pendingPartitions(groupId).forEach(tp -> all.putIfAbsent(tp, null));
            }
            all.forEach((tp, committed) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(requireStable && offsets.hasPendingTransactionalOffset(groupId, tp) ? unstable(tp.partition())
                            : partition(tp.partition(), committed)));
            byTopic.forEach((name, partitions) -> {
                Optional<TopicsView.TopicInfo> info = topics.byName(name);
                if (byId && info.isEmpty()) {
                    return; // a deleted topic has no id to name it by
                }
                OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics().setPartitions(partitions);
                out.topics().add(byId ? topic.setTopicId(info.get().id()) : topic.setName(name));
            });
            return out;
        }
        for (var topic : request.topics()) {
            OffsetFetchResponseTopics responseTopic = new OffsetFetchResponseTopics();
            String name;
            if (byId) {
                responseTopic.setTopicId(topic.topicId());
                name = topics.byId(topic.topicId()).map(TopicsView.TopicInfo::name).orElse(null);
            } else {
                responseTopic.setName(topic.name());
                name = topic.name();
            }
            for (int partition : topic.partitionIndexes()) {
                if (name == null) {
                    responseTopic.partitions().add(partition(partition, null).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                } else {
                    TopicPartition tp = new TopicPartition(name, partition);
                    responseTopic.partitions().add(requireStable && offsets.hasPendingTransactionalOffset(groupId, tp)
                            ? unstable(partition) : partition(partition, offsets.get(groupId, tp)));
                }
            }
            out.topics().add(responseTopic);
        }
        return out;
    }

    private static OffsetFetchResponsePartitions unstable(int partition) {
        return partition(partition, null).setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    private static OffsetFetchResponsePartitions partition(int partition, CommittedOffset committed) {
        OffsetFetchResponsePartitions out = new OffsetFetchResponsePartitions().setPartitionIndex(partition);
        if (committed == null) {
            return out.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("");
        }
        return out.setCommittedOffset(committed.offset()).setCommittedLeaderEpoch(committed.leaderEpoch())
                .setMetadata(committed.metadata());
    }

    CoordinatorResult<OffsetDeleteResponseData> delete(OffsetDeleteRequestData request) {
        String groupId = request.groupId();
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        if (!GroupIds.isValid(groupId)) {
            return CoordinatorResult.of(response.setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        Optional<GroupType> owner = types.owner(groupId);
        if (owner.isEmpty() && !offsets.hasOffsets(groupId) && !offsets.hasOpenTransactions(groupId)) {
            return CoordinatorResult.of(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
        }
        Set<String> subscribed = owner.map(t -> t.subscribedTopics(groupId)).orElse(Set.of());
        if (subscribed == null) {
            return CoordinatorResult.of(response.setErrorCode(Errors.NON_EMPTY_GROUP.code()));
        }
        List<CoordinatorRecord> records = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseTopic out = new OffsetDeleteResponseTopic().setName(topic.name());
            response.topics().add(out);
            Optional<TopicsView.TopicInfo> info = topics.byName(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : topic.partitions()) {
                Errors error = Errors.NONE;
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                if (info.isEmpty() || p.partitionIndex() < 0 || p.partitionIndex() >= info.get().partitions()) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (subscribed.contains(topic.name())) {
                    error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
                } else if (offsets.get(groupId, tp) != null || offsets.hasPendingTransactionalOffset(groupId, tp)) {
                    // as Kafka: the tombstone also drops what an open transaction would commit there
                    records.add(OffsetRecords.tombstone(groupId, tp));
                }
                out.partitions().add(new OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
        }
        return new CoordinatorResult<>(records, response);
    }

    /**
     * Tombstones for the offsets past retention: those of groups without members (measured from
     * when the group became empty, or from each commit for groups that never had members), and
     * those whose own expire timestamp passed, unless an open transaction has an offset pending for
     * the partition. A classic group with no offsets left, no members and no open transaction is
     * deleted too.
     */
    List<CoordinatorRecord> expire() {
        long now = time.milliseconds();
        List<CoordinatorRecord> records = new ArrayList<>();
        for (String groupId : List.copyOf(offsets.groupIds())) {
            Optional<GroupType> owner = types.owner(groupId);
            if (owner.isPresent() && !owner.get().offsetsMayExpire(groupId)) {
                continue;
            }
            ClassicGroup g = classic.get(groupId); // a classic group's offsets expire from when it emptied
            Map<TopicPartition, CommittedOffset> committed = offsets.offsets(groupId);
            int expired = 0;
            for (Map.Entry<TopicPartition, CommittedOffset> e : committed.entrySet()) {
                CommittedOffset c = e.getValue();
                long base = g != null && g.protocolType() != null ? g.stateTimestamp() : c.commitTimestamp();
                boolean past = c.expireTimestamp() >= 0 ? now >= c.expireTimestamp()
                        : now - base >= config.offsetsRetentionMs();
                // As Kafka: an offset an open transaction is about to replace does not expire yet.
                if (past && !offsets.hasPendingTransactionalOffset(groupId, e.getKey())) {
                    records.add(OffsetRecords.tombstone(groupId, e.getKey()));
                    expired++;
                }
            }
            // Nor does a group with open transactions go.
            if (expired == committed.size() && g != null && !offsets.hasOpenTransactions(groupId)) {
                records.add(classic.deletion(groupId));
            }
        }
        for (ClassicGroup g : List.copyOf(classic.all())) {
            if (!offsets.hasOffsets(g.groupId()) && !offsets.hasOpenTransactions(g.groupId()) && classic.isIdle(g)
                    && now - g.stateTimestamp() >= config.offsetsRetentionMs()) {
                records.add(classic.deletion(g.groupId()));
            }
        }
        return records;
    }
}
