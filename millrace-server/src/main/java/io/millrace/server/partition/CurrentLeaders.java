package io.millrace.server.partition;

import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Who leads a partition and where to reach it, from a metadata image: what Produce and Fetch
 * answers carry with NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH (KIP-951). Stateless.
 */
public final class CurrentLeaders {

    /** A partition's leader and its epoch. */
    public record Leader(int leaderId, int leaderEpoch) {
    }

    /** A broker's endpoint on one listener. */
    public record Endpoint(int nodeId, String host, int port, String rack) {
    }

    private CurrentLeaders() {
    }

    /** The leader of {@code tp}, when the image names one. */
    public static Optional<Leader> of(MetadataImage image, TopicPartition tp) {
        return image.topic(tp.topic())
                .map(topic -> topic.partitions().get(tp.partition()))
                .filter(state -> state.leader() != PartitionRecord.NO_LEADER)
                .map(state -> new Leader(state.leader(), state.leaderEpoch()));
    }

    /** Broker {@code brokerId}'s endpoint on {@code listenerName}, when it registered one. */
    public static Optional<Endpoint> endpoint(MetadataImage image, int brokerId, String listenerName) {
        Optional<BrokerImage> broker = image.broker(brokerId);
        return broker.flatMap(b -> b.endpoint(listenerName)
                .map(e -> new Endpoint(brokerId, e.host(), e.port(), b.rack())));
    }
}
