package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import java.util.List;

/**
 * Elects leaders (Kafka's ElectLeaders). {@code partitions} null means every partition.
 *
 * @param electionType 0 = preferred (the first replica, if in the ISR and active), 1 = unclean
 */
public record ElectLeaders(byte electionType, List<TopicPartitionRef> partitions)
        implements ControllerCommand<ElectLeaders.Reply> {
    public static final byte PREFERRED = 0;
    public static final byte UNCLEAN = 1;

    public record TopicPartitionRef(String topic, int partition) {
    }

    /**
     * One per partition asked about (or, for all partitions, per partition whose leader changed
     * or failed to change). ELECTION_NOT_NEEDED when the preferred leader already leads.
     */
    public record Result(String topic, int partition, ApiError error) {
    }

    public record Reply(List<Result> results) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
