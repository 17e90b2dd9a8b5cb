package io.millrace.coordinator.share;

import io.millrace.coordinator.consumer.PartitionSet;
import java.util.List;

/**
 * One member of a share group as its record stores it: who it is, what it subscribes to, its
 * epoch and the partitions it was given. Share groups have no revocation (any number of members
 * may read a partition), so the assignment a member is told is its assignment at once.
 * Immutable.
 *
 * @param memberEpoch the group epoch at which this assignment was given
 */
public record ShareMember(String memberId, String rackId, String clientId, String clientHost,
                          List<String> subscribedTopicNames, int memberEpoch, PartitionSet assignment) {
    public ShareMember {
        subscribedTopicNames = List.copyOf(subscribedTopicNames);
    }

    ShareMember withEpochAndAssignment(int epoch, PartitionSet partitions) {
        return new ShareMember(memberId, rackId, clientId, clientHost, subscribedTopicNames, epoch, partitions);
    }
}
