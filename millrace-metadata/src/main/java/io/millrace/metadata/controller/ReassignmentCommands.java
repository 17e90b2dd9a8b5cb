package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.AlterReassignments;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * Partition reassignment (KIP-455): start, finish, cancel. While one is under way the replicas
 * are the target followed by the replicas being removed; it finishes once every adding replica
 * is in the ISR. Pure and stateless.
 */
final class ReassignmentCommands {
    private ReassignmentCommands() {
    }

    static CommandResult<io.millrace.metadata.controller.command.Errors> alter(
            MetadataImage image, AlterReassignments command, ControllerSettings settings) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ApiError> errors = new ArrayList<>();
        MetadataImage working = image;
        for (AlterReassignments.Reassignment r : command.reassignments()) {
            TopicImage topic = working.topic(r.topic()).orElse(null);
            PartitionRecord p = topic == null ? null : topic.partitions().get(r.partition());
            if (p == null) {
                errors.add(ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unknown partition " + r.topic() + "-"
                        + r.partition()));
                continue;
            }
            PartitionRecord next;
            if (r.targetReplicas() == null) {
                if (!p.isReassigning()) {
                    errors.add(ApiError.of(Errors.NO_REASSIGNMENT_IN_PROGRESS, "No reassignment of " + r.topic()
                            + "-" + r.partition() + " is in progress"));
                    continue;
                }
                next = cancel(working, topic, p, settings);
            } else {
                ApiError bad = checkTarget(working, r.targetReplicas());
                if (bad != null) {
                    errors.add(bad);
                    continue;
                }
                next = finishIfComplete(working, topic, start(p, r.targetReplicas()), settings);
            }
            errors.add(ApiError.NONE);
            if (next != p) {
                records.add(next);
                working = working.apply(List.of(next));
            }
        }
        return new CommandResult<>(records, new io.millrace.metadata.controller.command.Errors(errors));
    }

    private static ApiError checkTarget(MetadataImage image, List<Integer> target) {
        if (target.isEmpty() || new HashSet<>(target).size() != target.size()) {
            return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "Target replicas " + target
                    + " must be non-empty and distinct");
        }
        for (int broker : target) {
            if (!image.brokers().containsKey(broker)) {
                return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "Broker " + broker + " in target replicas "
                        + target + " is not registered");
            }
        }
        return null;
    }

    /** Replicas = target then the ones leaving; a replica is "adding" until it has joined the ISR once. */
    static PartitionRecord start(PartitionRecord p, List<Integer> target) {
        List<Integer> original = PartitionStates.minus(p.replicas(), p.addingReplicas());
        List<Integer> leaving = PartitionStates.minus(p.replicas(), target);
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(leaving);
        List<Integer> adding = PartitionStates.minus(target, original);
        return PartitionStates.next(p, replicas, p.isr(), p.leader(), adding, leaving);
    }

    /**
     * When every adding replica is in the ISR and the ISR keeps a target member: replicas become
     * the target, the ISR loses the leaving replicas, and a leader outside the target is
     * replaced by the election rule. Otherwise {@code p} unchanged.
     */
    static PartitionRecord finishIfComplete(MetadataImage image, TopicImage topic, PartitionRecord p,
                                            ControllerSettings settings) {
        if (!p.isReassigning() || !p.isr().containsAll(p.addingReplicas())) {
            return p;
        }
        List<Integer> target = PartitionStates.minus(p.replicas(), p.removingReplicas());
        List<Integer> isr = PartitionStates.intersect(p.isr(), target);
        if (isr.isEmpty()) {
            return p;
        }
        return settle(image, topic, p, target, isr, settings);
    }

    /** Back to the original replicas: the current ones minus those being added. */
    static PartitionRecord cancel(MetadataImage image, TopicImage topic, PartitionRecord p,
                                  ControllerSettings settings) {
        List<Integer> original = PartitionStates.minus(p.replicas(), p.addingReplicas());
        List<Integer> isr = PartitionStates.intersect(p.isr(), original);
        if (isr.isEmpty()) {
            // Only replicas being added were in sync: an original replica must lead without them.
            PartitionElections.LeaderAndIsr choice = PartitionElections.elect(image, original, List.of(), true);
            List<Integer> fallbackIsr = choice.hasLeader() ? choice.isr() : List.of(original.get(0));
            return PartitionStates.next(p, original, fallbackIsr, choice.leader(), List.of(), List.of());
        }
        return settle(image, topic, p, original, isr, settings);
    }

    private static PartitionRecord settle(MetadataImage image, TopicImage topic, PartitionRecord p,
                                          List<Integer> replicas, List<Integer> isr, ControllerSettings settings) {
        int leader = p.leader();
        List<Integer> newIsr = isr;
        if (!isr.contains(leader)) {
            PartitionElections.LeaderAndIsr choice = PartitionElections.elect(image, replicas, isr,
                    PartitionElections.uncleanEnabled(image, topic, settings));
            leader = choice.leader();
            newIsr = choice.isr();
        }
        return PartitionStates.next(p, replicas, newIsr, leader, List.of(), List.of());
    }
}
