package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.records.PartitionRecord;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A partition leader asks to change the ISR of partitions it leads (Kafka's AlterPartition).
 * Each change quotes the leader epoch and partition epoch it was computed from; a stale one is
 * refused with FENCED_LEADER_EPOCH or INVALID_UPDATE_VERSION.
 */
public record AlterPartition(int brokerId, long brokerEpoch, List<IsrChange> changes)
        implements ControllerCommand<AlterPartition.Reply> {

    public record IsrChange(Uuid topicId, int partition, int leaderEpoch, int partitionEpoch, List<Integer> newIsr) {
    }

    /** {@code state} is the partition's state after the change (null on error). */
    public record Result(Uuid topicId, int partition, ApiError error, PartitionRecord state) {
    }

    /** {@code error} is request-wide (e.g. STALE_BROKER_EPOCH); else per-change results, in order. */
    public record Reply(ApiError error, List<Result> results) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
