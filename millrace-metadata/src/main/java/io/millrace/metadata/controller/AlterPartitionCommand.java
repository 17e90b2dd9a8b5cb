package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.AlterPartition;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * A partition leader's ISR changes (Kafka's AlterPartition): validated against the image, each
 * accepted one becomes a PartitionRecord with the next partition epoch, after which a
 * reassignment waiting on the ISR may finish. Pure and stateless.
 */
final class AlterPartitionCommand {
    private AlterPartitionCommand() {
    }

    static CommandResult<AlterPartition.Reply> alter(MetadataImage image, AlterPartition command,
                                                     ControllerSettings settings) {
        BrokerImage broker = image.brokers().get(command.brokerId());
        if (broker == null || broker.brokerEpoch() != command.brokerEpoch()) {
            return CommandResult.reply(new AlterPartition.Reply(ApiError.of(Errors.STALE_BROKER_EPOCH,
                    "Broker " + command.brokerId() + " epoch " + command.brokerEpoch() + " is not registered"),
                    List.of()));
        }
        List<MetadataRecord> records = new ArrayList<>();
        List<AlterPartition.Result> results = new ArrayList<>();
        MetadataImage working = image;
        for (AlterPartition.IsrChange change : command.changes()) {
            TopicImage topic = working.topic(change.topicId()).orElse(null);
            PartitionRecord p = topic == null ? null : topic.partitions().get(change.partition());
            ApiError error = p == null
                    ? ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unknown partition " + change.topicId()
                            + "-" + change.partition())
                    : check(working, command.brokerId(), p, change);
            if (!error.isSuccess()) {
                results.add(new AlterPartition.Result(change.topicId(), change.partition(), error, null));
                continue;
            }
            PartitionRecord next = PartitionStates.withLeaderAndIsr(p, p.leader(), change.newIsr());
            next = ReassignmentCommands.finishIfComplete(working, topic, next, settings);
            if (next != p) {
                records.add(next);
                working = working.apply(List.of(next));
            }
            results.add(new AlterPartition.Result(change.topicId(), change.partition(), ApiError.NONE, next));
        }
        return new CommandResult<>(records, new AlterPartition.Reply(ApiError.NONE, results));
    }

    private static ApiError check(MetadataImage image, int brokerId, PartitionRecord p, AlterPartition.IsrChange change) {
        if (p.leader() != brokerId) {
            return ApiError.of(Errors.NOT_LEADER_OR_FOLLOWER, "Broker " + brokerId + " does not lead the partition; "
                    + (p.leader() == PartitionRecord.NO_LEADER ? "it has no leader" : "broker " + p.leader() + " does"));
        }
        if (change.leaderEpoch() != p.leaderEpoch()) {
            return ApiError.of(Errors.FENCED_LEADER_EPOCH, "Leader epoch " + change.leaderEpoch()
                    + " is not the current " + p.leaderEpoch());
        }
        if (change.partitionEpoch() != p.partitionEpoch()) {
            return ApiError.of(Errors.INVALID_UPDATE_VERSION, "Partition epoch " + change.partitionEpoch()
                    + " is not the current " + p.partitionEpoch());
        }
        List<Integer> isr = change.newIsr();
        if (isr == null || isr.isEmpty() || new HashSet<>(isr).size() != isr.size() || !isr.contains(p.leader())
                || !p.replicas().containsAll(isr)) {
            return ApiError.of(Errors.INVALID_REQUEST, "ISR " + isr + " must be distinct replicas of " + p.replicas()
                    + " including the leader " + p.leader());
        }
        for (int replica : isr) {
            if (!p.isr().contains(replica) && !PartitionElections.isActive(image, replica)) {
                return ApiError.of(Errors.INELIGIBLE_REPLICA, "Replica " + replica
                        + " cannot join the ISR: it is fenced or shutting down");
            }
        }
        return ApiError.NONE;
    }
}
