package io.millrace.metadata.controller;

import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.List;

/**
 * The one leader election rule, used by every command that may change a leader. Pure functions
 * of the image; stateless.
 *
 * <p>The rule: the new leader is the first replica, in replica order, that is in the ISR and
 * active (registered, unfenced, not shutting down). If there is none and unclean election is
 * enabled for the topic, the first active replica at all leads with an ISR of itself alone
 * (it may lack committed records: that is the risk unclean election accepts). Otherwise the
 * partition has no leader and its ISR stays as it was, never empty, so the last in-sync
 * replica can lead again when it returns.
 */
final class PartitionElections {
    static final String UNCLEAN_CONFIG = "unclean.leader.election.enable";

    /** A leader (or {@link PartitionRecord#NO_LEADER}) and the ISR to go with it. */
    record LeaderAndIsr(int leader, List<Integer> isr) {
        boolean hasLeader() {
            return leader != PartitionRecord.NO_LEADER;
        }
    }

    private PartitionElections() {
    }

    /** Topic override, then the dynamic cluster-wide default, then the static setting. */
    static boolean uncleanEnabled(MetadataImage image, TopicImage topic, ControllerSettings settings) {
        String value = topic == null ? null : topic.configs().get(UNCLEAN_CONFIG);
        if (value == null) {
            value = image.brokerConfig("").get(UNCLEAN_CONFIG);
        }
        return value == null ? settings.uncleanLeaderElectionEnable() : Boolean.parseBoolean(value.trim());
    }

    static boolean isActive(MetadataImage image, int brokerId) {
        BrokerImage broker = image.brokers().get(brokerId);
        return broker != null && broker.isActive();
    }

    /** The rule, over {@code replicas} with {@code isr} as the in-sync set. */
    static LeaderAndIsr elect(MetadataImage image, List<Integer> replicas, List<Integer> isr, boolean unclean) {
        for (int replica : replicas) {
            if (isr.contains(replica) && isActive(image, replica)) {
                return new LeaderAndIsr(replica, isr);
            }
        }
        if (unclean) {
            for (int replica : replicas) {
                if (isActive(image, replica)) {
                    return new LeaderAndIsr(replica, List.of(replica));
                }
            }
        }
        return new LeaderAndIsr(PartitionRecord.NO_LEADER, isr);
    }

    /**
     * Keeps {@code p}'s leader if it may still lead (in {@code targetIsr} and active), else
     * elects by the rule; {@code targetIsr} is the ISR the partition is to have.
     */
    static LeaderAndIsr keepOrElect(MetadataImage image, PartitionRecord p, List<Integer> targetIsr, boolean unclean) {
        if (p.leader() != PartitionRecord.NO_LEADER && targetIsr.contains(p.leader()) && isActive(image, p.leader())) {
            return new LeaderAndIsr(p.leader(), targetIsr);
        }
        return elect(image, p.replicas(), targetIsr, unclean);
    }

    /** {@code p} after {@link #keepOrElect}; {@code p} itself when nothing changes. */
    static PartitionRecord reelect(MetadataImage image, TopicImage topic, PartitionRecord p, List<Integer> targetIsr,
                                   ControllerSettings settings) {
        LeaderAndIsr next = keepOrElect(image, p, targetIsr, uncleanEnabled(image, topic, settings));
        return PartitionStates.withLeaderAndIsr(p, next.leader(), next.isr());
    }
}
