package io.millrace.coordinator.group;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.offsets.CommittedOffset;
import io.millrace.coordinator.offsets.OffsetRecords;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit (KIP-98, KIP-447) against one shard: checks the group metadata the producer
 * sent (generation, member id, group instance id; none of them, or generation -1 on an empty or
 * unknown group, skips the checks as in Kafka) for classic and consumer groups, and returns one key
 * type 1 record per accepted partition, to be written as one transactional batch of the producer
 * ({@link CoordinatorResult#transactional}). Replayed, they stay pending in the offset store until
 * the producer's COMMIT or ABORT marker. Runs on the shard's thread; changes nothing itself.
 */
final class TransactionalOffsetCommit {
    private final GroupTypes types;
    private final TopicsView topics;
    private final GroupCoordinatorConfig config;
    private final Time time;

    TransactionalOffsetCommit(GroupTypes types, TopicsView topics, GroupCoordinatorConfig config, Time time) {
        this.types = types;
        this.topics = topics;
        this.config = config;
        this.time = time;
    }

    CoordinatorResult<TxnOffsetCommitResponseData> commit(TxnOffsetCommitRequestData request) {
        Errors groupError = validate(request);
        long now = time.milliseconds();
        List<CoordinatorRecord> records = new ArrayList<>();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseTopic out = new TxnOffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(out);
            Optional<TopicsView.TopicInfo> info = topics.byName(topic.name());
            for (TxnOffsetCommitRequestPartition p : topic.partitions()) {
                Errors error = groupError == Errors.NONE ? check(info, p) : groupError;
                if (error == Errors.NONE) {
                    records.add(OffsetRecords.commit(request.groupId(), new TopicPartition(topic.name(), p.partitionIndex()),
                            new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(),
                                    p.committedMetadata() == null ? "" : p.committedMetadata(), now, -1)));
                }
                out.partitions().add(new TxnOffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
        }
        return CoordinatorResult.transactional(records, response, request.producerId(), request.producerEpoch());
    }

    private Errors validate(TxnOffsetCommitRequestData request) {
        String groupId = request.groupId();
        if (!GroupIds.isValid(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        return types.ownerOrDefault(groupId).validateTransactionalOffsetCommit(groupId, request.memberId(),
                request.groupInstanceId(), request.generationIdOrMemberEpoch());
    }

    /** Kafka answers unknown topics and partitions before its coordinator sees them; we do it here. */
    private Errors check(Optional<TopicsView.TopicInfo> info, TxnOffsetCommitRequestPartition p) {
        if (info.isEmpty() || p.partitionIndex() < 0 || p.partitionIndex() >= info.get().partitions()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (p.committedMetadata() != null && p.committedMetadata().length() > config.offsetMetadataMaxBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return Errors.NONE;
    }
}
