package io.millrace.coordinator.group;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.classic.ClassicGroupType;
import io.millrace.coordinator.offsets.OffsetRecords;
import io.millrace.coordinator.offsets.OffsetStore;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListGroups, DescribeGroups and DeleteGroups across the {@link GroupTypes} of one shard, and
 * "simple" groups that only have committed offsets (shown as empty classic groups, as Kafka
 * does). Runs on the shard's thread.
 */
final class GroupAdmin {
    static final String CLASSIC = ClassicGroupType.NAME;
    private static final String EMPTY_STATE = "Empty";

    private final OffsetStore offsets;
    private final GroupTypes types;

    GroupAdmin(OffsetStore offsets, GroupTypes types) {
        this.offsets = offsets;
        this.types = types;
    }

    /** The groups whose state and type pass the filters (empty filter: all; case-insensitive). */
    List<ListedGroup> list(List<String> statesFilter, List<String> typesFilter) {
        Set<String> states = lower(statesFilter);
        Set<String> typeNames = lower(typesFilter);
        List<ListedGroup> all = new ArrayList<>();
        all.addAll(types.all().get(0).listGroups());
        for (String groupId : offsets.groupIds()) {
            if (types.owner(groupId).isEmpty()) {
                all.add(new ListedGroup().setGroupId(groupId).setProtocolType("").setGroupState(EMPTY_STATE)
                        .setGroupType(CLASSIC));
            }
        }
        types.all().stream().skip(1).forEach(type -> all.addAll(type.listGroups()));
        return all.stream()
                .filter(g -> states.isEmpty() || states.contains(g.groupState().toLowerCase(Locale.ROOT)))
                .filter(g -> typeNames.isEmpty() || typeNames.contains(g.groupType().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /**
     * DescribeGroups of one group; an unknown group is Dead (before v6) or GROUP_ID_NOT_FOUND (v6+,
     * KIP-1043).
     */
    DescribedGroup describe(String groupId, short apiVersion) {
        if (!GroupIds.isValid(groupId)) {
            return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code())
                    .setGroupState("").setProtocolType("").setProtocolData("");
        }
        Optional<GroupType> owner = types.owner(groupId);
        if (owner.isPresent()) {
            return owner.get().describeClassic(groupId);
        }
        if (offsets.hasOffsets(groupId)) {
            return new DescribedGroup().setGroupId(groupId).setGroupState(EMPTY_STATE).setProtocolType("")
                    .setProtocolData("");
        }
        DescribedGroup dead = new DescribedGroup().setGroupId(groupId).setGroupState("Dead").setProtocolType("")
                .setProtocolData("");
        if (apiVersion >= 6) {
            dead.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + groupId + " not found.");
        }
        return dead;
    }

    /** Deletes each empty group with its offsets; NON_EMPTY_GROUP for groups with members. */
    CoordinatorResult<List<DeletableGroupResult>> delete(List<String> groupIds) {
        List<CoordinatorRecord> records = new ArrayList<>();
        List<DeletableGroupResult> results = new ArrayList<>();
        for (String groupId : groupIds) {
            Errors error = Errors.NONE;
            Optional<GroupType> owner = GroupIds.isValid(groupId) ? types.owner(groupId) : Optional.empty();
            if (!GroupIds.isValid(groupId)) {
                error = Errors.INVALID_GROUP_ID;
            } else if (owner.isPresent()) {
                if (!owner.get().isEmpty(groupId)) {
                    error = Errors.NON_EMPTY_GROUP;
                } else {
                    offsetTombstones(groupId, records);
                    records.addAll(owner.get().deletion(groupId));
                }
            } else if (!offsets.hasOffsets(groupId) && !offsets.hasOpenTransactions(groupId)) {
                error = Errors.GROUP_ID_NOT_FOUND;
            } else {
                offsetTombstones(groupId, records);
            }
            results.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
        }
        return new CoordinatorResult<>(records, results);
    }

    /** Tombstones for the group's offsets and, as Kafka, for those only pending in open transactions. */
    private void offsetTombstones(String groupId, List<CoordinatorRecord> records) {
        offsets.offsets(groupId).keySet().forEach(tp -> records.add(OffsetRecords.tombstone(groupId, tp)));
        offsets.pendingPartitions(groupId).stream().filter(tp -> offsets.get(groupId, tp) == null)
                .forEach(tp -> records.add(OffsetRecords.tombstone(groupId, tp)));
    }

    private static Set<String> lower(List<String> values) {
        return values == null ? Set.of() : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
