package io.millrace.metadata.controller;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Making the next {@link PartitionRecord} of a partition, with its epochs: a leader change bumps
 * the leader epoch and the partition epoch, any other change the partition epoch only. Stateless.
 */
final class PartitionStates {
    private PartitionStates() {
    }

    /** {@code p} with a new leader and ISR; {@code p} itself when neither changes. */
    static PartitionRecord withLeaderAndIsr(PartitionRecord p, int leader, List<Integer> isr) {
        return next(p, p.replicas(), isr, leader, p.addingReplicas(), p.removingReplicas());
    }

    /** {@code p} with every replica-state field given; {@code p} itself when nothing changes. */
    static PartitionRecord next(PartitionRecord p, List<Integer> replicas, List<Integer> isr, int leader,
                                List<Integer> adding, List<Integer> removing) {
        boolean leaderChanged = leader != p.leader();
        boolean changed = leaderChanged || !replicas.equals(p.replicas()) || !isr.equals(p.isr())
                || !adding.equals(p.addingReplicas()) || !removing.equals(p.removingReplicas());
        if (!changed) {
            return p;
        }
        return new PartitionRecord(p.topicId(), p.partition(), replicas, isr, leader,
                leaderChanged ? p.leaderEpoch() + 1 : p.leaderEpoch(), p.partitionEpoch() + 1, adding, removing);
    }

    /** {@code list} without {@code value}, order kept. */
    static List<Integer> without(List<Integer> list, int value) {
        List<Integer> copy = new ArrayList<>(list);
        copy.remove(Integer.valueOf(value));
        return copy;
    }

    /** The members of {@code list} that are also in {@code keep}, in {@code list}'s order. */
    static List<Integer> intersect(List<Integer> list, List<Integer> keep) {
        return list.stream().filter(keep::contains).toList();
    }

    /** The members of {@code list} not in {@code drop}, in {@code list}'s order. */
    static List<Integer> minus(List<Integer> list, List<Integer> drop) {
        return list.stream().filter(x -> !drop.contains(x)).toList();
    }

    /** Calls {@code action} for every partition of the image, topic by topic. */
    static void forEachPartition(MetadataImage image, BiConsumer<TopicImage, PartitionRecord> action) {
        for (TopicImage topic : image.topics()) {
            for (PartitionRecord p : topic.partitions().values()) {
                action.accept(topic, p);
            }
        }
    }
}
