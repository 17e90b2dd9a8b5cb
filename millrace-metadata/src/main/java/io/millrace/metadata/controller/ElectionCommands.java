package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders (preferred and unclean) and the periodic preferred-leader rebalance. Pure and
 * stateless.
 */
final class ElectionCommands {
    private ElectionCommands() {
    }

    static CommandResult<ElectLeaders.Reply> elect(MetadataImage image, ElectLeaders command) {
        boolean all = command.partitions() == null;
        List<ElectLeaders.TopicPartitionRef> refs = all ? allPartitions(image) : command.partitions();
        List<MetadataRecord> records = new ArrayList<>();
        List<ElectLeaders.Result> results = new ArrayList<>();
        for (ElectLeaders.TopicPartitionRef ref : refs) {
            PartitionRecord p = image.topic(ref.topic()).map(t -> t.partitions().get(ref.partition())).orElse(null);
            ApiError error;
            if (p == null) {
                error = ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unknown partition " + ref.topic() + "-"
                        + ref.partition());
            } else {
                Outcome outcome = command.electionType() == ElectLeaders.UNCLEAN ? unclean(image, p) : preferred(image, p);
                error = outcome.error();
                if (outcome.next() != null) {
                    records.add(outcome.next());
                }
            }
            if (!all || error.error() != Errors.ELECTION_NOT_NEEDED) {
                results.add(new ElectLeaders.Result(ref.topic(), ref.partition(), error));
            }
        }
        return new CommandResult<>(records, new ElectLeaders.Reply(results));
    }

    /**
     * auto.leader.rebalance.enable: leadership back to the preferred replica wherever it is
     * active, in the ISR and not leading.
     */
    static List<MetadataRecord> rebalance(MetadataImage image) {
        List<MetadataRecord> records = new ArrayList<>();
        PartitionStates.forEachPartition(image, (topic, p) -> {
            Outcome outcome = preferred(image, p);
            if (outcome.next() != null) {
                records.add(outcome.next());
            }
        });
        return records;
    }

    /** {@code next} is the changed partition, null when unchanged. */
    private record Outcome(ApiError error, PartitionRecord next) {
    }

    private static Outcome preferred(MetadataImage image, PartitionRecord p) {
        int preferred = p.replicas().get(0);
        if (p.leader() == preferred) {
            return new Outcome(ApiError.of(Errors.ELECTION_NOT_NEEDED, "Broker " + preferred + " already leads"), null);
        }
        if (p.isr().contains(preferred) && PartitionElections.isActive(image, preferred)) {
            return new Outcome(ApiError.NONE, PartitionStates.withLeaderAndIsr(p, preferred, p.isr()));
        }
        return new Outcome(ApiError.of(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "Preferred replica " + preferred
                + " is not an active member of the ISR " + p.isr()), null);
    }

    private static Outcome unclean(MetadataImage image, PartitionRecord p) {
        if (p.leader() != PartitionRecord.NO_LEADER) {
            return new Outcome(ApiError.of(Errors.ELECTION_NOT_NEEDED, "Broker " + p.leader() + " leads"), null);
        }
        PartitionElections.LeaderAndIsr choice = PartitionElections.elect(image, p.replicas(), p.isr(), true);
        if (!choice.hasLeader()) {
            return new Outcome(ApiError.of(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, "No replica of " + p.replicas()
                    + " is active"), null);
        }
        return new Outcome(ApiError.NONE, PartitionStates.withLeaderAndIsr(p, choice.leader(), choice.isr()));
    }

    private static List<ElectLeaders.TopicPartitionRef> allPartitions(MetadataImage image) {
        List<ElectLeaders.TopicPartitionRef> refs = new ArrayList<>();
        image.topics().stream().sorted(Comparator.comparing(TopicImage::name)).forEach(topic -> {
            for (int partition : topic.partitions().keySet()) {
                refs.add(new ElectLeaders.TopicPartitionRef(topic.name(), partition));
            }
        });
        return refs;
    }
}
