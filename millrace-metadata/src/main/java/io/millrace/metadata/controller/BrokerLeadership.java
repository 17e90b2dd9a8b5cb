package io.millrace.metadata.controller;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The partition changes that follow a change of one broker's state: it was fenced, began a
 * controlled shutdown, or was unfenced. Each function takes the image in which the broker
 * already has its new state, so the election rule sees it as (in)active. Pure and stateless.
 */
final class BrokerLeadership {

    /**
     * Partition records to write, and what they did to leadership.
     *
     * @param moved      partitions the broker led that now have another leader
     * @param leaderless partitions the broker led that now have none
     */
    record Changes(List<MetadataRecord> records, int moved, int leaderless) {
    }

    private BrokerLeadership() {
    }

    /**
     * {@code brokerId} is fenced in {@code image}: out of every ISR where it is not the only
     * member, and a new leader (by the rule) wherever it led.
     */
    static Changes fenceOut(MetadataImage image, int brokerId, ControllerSettings settings) {
        List<MetadataRecord> records = new ArrayList<>();
        int[] counts = new int[2];
        PartitionStates.forEachPartition(image, (topic, p) -> {
            if (p.leader() != brokerId && !p.isr().contains(brokerId)) {
                return;
            }
            List<Integer> isr = p.isr().size() > 1 ? PartitionStates.without(p.isr(), brokerId) : p.isr();
            PartitionRecord next = PartitionElections.reelect(image, topic, p, isr, settings);
            if (next != p) {
                records.add(next);
            }
            if (p.leader() == brokerId) {
                counts[next.leader() == PartitionRecord.NO_LEADER ? 1 : 0]++;
            }
        });
        return new Changes(records, counts[0], counts[1]);
    }

    /**
     * {@code brokerId} is in controlled shutdown in {@code image}: each partition it leads goes
     * to another active ISR member (without it in the ISR); where there is none it keeps
     * leading. It leaves the ISRs it follows in, unless it is the only member.
     */
    static Changes shutDown(MetadataImage image, int brokerId) {
        List<MetadataRecord> records = new ArrayList<>();
        int[] moved = new int[1];
        PartitionStates.forEachPartition(image, (topic, p) -> {
            if (!p.isr().contains(brokerId) || p.isr().size() < 2) {
                return;
            }
            List<Integer> isr = PartitionStates.without(p.isr(), brokerId);
            if (p.leader() == brokerId) {
                PartitionElections.LeaderAndIsr next = PartitionElections.elect(image, p.replicas(), isr, false);
                if (next.hasLeader()) {
                    records.add(PartitionStates.withLeaderAndIsr(p, next.leader(), next.isr()));
                    moved[0]++;
                }
            } else {
                records.add(PartitionStates.withLeaderAndIsr(p, p.leader(), isr));
            }
        });
        return new Changes(records, moved[0], 0);
    }

    /** Whether {@code brokerId} still leads a partition that another active ISR member could lead. */
    static boolean leadsMovablePartition(MetadataImage image, int brokerId) {
        for (var topic : image.topics()) {
            for (PartitionRecord p : topic.partitions().values()) {
                if (p.leader() == brokerId && p.isr().stream()
                        .anyMatch(r -> r != brokerId && PartitionElections.isActive(image, r))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Leaders, by the rule, for leaderless partitions having a replica that matches
     * {@code replicaFilter} and an eligible leader now (e.g. after a broker was unfenced or
     * unclean election was enabled).
     */
    static Changes electLeaderless(MetadataImage image, ControllerSettings settings, IntPredicate replicaFilter) {
        List<MetadataRecord> records = new ArrayList<>();
        PartitionStates.forEachPartition(image, (topic, p) -> {
            if (p.leader() != PartitionRecord.NO_LEADER || p.replicas().stream().noneMatch(replicaFilter::test)) {
                return;
            }
            PartitionRecord next = PartitionElections.reelect(image, topic, p, p.isr(), settings);
            if (next.leader() != PartitionRecord.NO_LEADER) {
                records.add(next);
            }
        });
        return new Changes(records, records.size(), 0);
    }
}
