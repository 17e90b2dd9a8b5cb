package io.millrace.coordinator.group;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for KIP-848 consumer groups until they exist: knows no group and skips their records
 * (logging the first it skips, so a downgrade does not lose them silently: they stay in the log).
 */
public final class NoConsumerGroups implements ConsumerGroupsHook {
    private static final Logger log = LoggerFactory.getLogger(NoConsumerGroups.class);
    public static final ConsumerGroupsHook.Factory FACTORY = (context, topics) -> new NoConsumerGroups();

    private boolean warned;

    @Override
    public void replay(CoordinatorRecord record) {
        if (!warned) {
            warned = true;
            log.warn("Skipping consumer-group records (key type {}): consumer groups are not served by this build",
                    record.keyType());
        }
    }

    @Override
    public boolean contains(String groupId) {
        return false;
    }

    @Override
    public List<ListedGroup> listGroups() {
        return List.of();
    }

    @Override
    public DescribedGroup describeClassic(String groupId) {
        throw new IllegalStateException("No consumer group " + groupId);
    }

    @Override
    public boolean isEmpty(String groupId) {
        return true;
    }

    @Override
    public Set<String> subscribedTopics(String groupId) {
        return Set.of();
    }

    @Override
    public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                       short apiVersion) {
        return Errors.GROUP_ID_NOT_FOUND;
    }

    @Override
    public Errors validateTransactionalOffsetCommit(String groupId, String memberId, int memberEpoch) {
        return Errors.GROUP_ID_NOT_FOUND;
    }

    @Override
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        return Errors.NONE;
    }

    @Override
    public List<CoordinatorRecord> deletion(String groupId) {
        return List.of();
    }
}
