package io.millrace.coordinator.classic;

import io.millrace.coordinator.group.GroupType;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * Classic groups as one of the shard's {@link GroupType}s; also the default type, so its offset
 * checks take a null group for a "simple" group (committed offsets only). Shard thread only.
 */
public final class ClassicGroupType implements GroupType {
    public static final String NAME = "classic";

    private final ClassicGroups groups;

    public ClassicGroupType(ClassicGroups groups) {
        this.groups = groups;
    }

    public ClassicGroups groups() {
        return groups;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(short keyType) {
        return keyType == CoordinatorRecord.CLASSIC_GROUP;
    }

    @Override
    public void replay(CoordinatorRecord record) {
        groups.replay(record);
    }

    @Override
    public void onLoaded() {
        groups.onLoaded();
    }

    @Override
    public void onUnloaded() {
        groups.onUnloaded();
    }

    @Override
    public boolean contains(String groupId) {
        return groups.get(groupId) != null;
    }

    @Override
    public List<ListedGroup> listGroups() {
        return groups.all().stream().map(g -> new ListedGroup().setGroupId(g.groupId())
                .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                .setGroupState(g.state().wireName()).setGroupType(NAME)).toList();
    }

    @Override
    public DescribedGroup describeClassic(String groupId) {
        return groups.describe(groups.get(groupId));
    }

    @Override
    public boolean isEmpty(String groupId) {
        ClassicGroup g = groups.get(groupId);
        return g == null || g.isEmptyOrDead();
    }

    @Override
    public boolean offsetsMayExpire(String groupId) {
        ClassicGroup g = groups.get(groupId);
        return g == null || groups.isIdle(g);
    }

    @Override
    public Set<String> subscribedTopics(String groupId) {
        ClassicGroup g = groups.get(groupId);
        return g == null || g.isEmptyOrDead() ? Set.of() : groups.subscribedTopics(g);
    }

    @Override
    public Errors validateOffsetCommit(String groupId, String memberId, int generationId, String groupInstanceId,
                                       short apiVersion) {
        return groups.validateOffsetCommit(groups.get(groupId), memberId, groupInstanceId, generationId, apiVersion);
    }

    @Override
    public Errors validateTransactionalOffsetCommit(String groupId, String memberId, String groupInstanceId,
                                                    int generationId) {
        return groups.validateTransactionalOffsetCommit(groups.get(groupId), memberId, groupInstanceId, generationId);
    }

    @Override
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        return Errors.NONE;
    }

    @Override
    public List<CoordinatorRecord> deletion(String groupId) {
        return List.of(groups.deletion(groupId));
    }
}
