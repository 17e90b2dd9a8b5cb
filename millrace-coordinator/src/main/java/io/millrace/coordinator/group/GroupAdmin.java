package io.millrace.coordinator.group;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.classic.ClassicGroup;
import io.millrace.coordinator.classic.ClassicGroups;
import io.millrace.coordinator.offsets.OffsetRecords;
import io.millrace.coordinator.offsets.OffsetStore;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListGroups, DescribeGroups and DeleteGroups across the group types of one shard: classic
 * groups, "simple" groups that only have committed offsets (shown as empty classic groups, as
 * Kafka does), and consumer groups through the {@link ConsumerGroupsHook}. Runs on the shard's thread.
 */
final class GroupAdmin {
    static final String CLASSIC = "classic";
    private static final String EMPTY_STATE = "Empty";

    private final OffsetStore offsets;
    private final ClassicGroups classic;
    private final ConsumerGroupsHook consumer;

    GroupAdmin(OffsetStore offsets, ClassicGroups classic, ConsumerGroupsHook consumer) {
        this.offsets = offsets;
        this.classic = classic;
        this.consumer = consumer;
    }

    /** The groups whose state and type pass the filters (empty filter: all; case-insensitive). */
    List<ListedGroup> list(List<String> statesFilter, List<String> typesFilter) {
        Set<String> states = lower(statesFilter);
        Set<String> types = lower(typesFilter);
        List<ListedGroup> all = new ArrayList<>();
        for (ClassicGroup g : classic.all()) {
            all.add(new ListedGroup().setGroupId(g.groupId()).setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                    .setGroupState(g.state().wireName()).setGroupType(CLASSIC));
        }
        for (String groupId : offsets.groupIds()) {
            if (classic.get(groupId) == null && !consumer.contains(groupId)) {
                all.add(new ListedGroup().setGroupId(groupId).setProtocolType("").setGroupState(EMPTY_STATE)
                        .setGroupType(CLASSIC));
            }
        }
        all.addAll(consumer.listGroups());
        return all.stream()
                .filter(g -> states.isEmpty() || states.contains(g.groupState().toLowerCase(Locale.ROOT)))
                .filter(g -> types.isEmpty() || types.contains(g.groupType().toLowerCase(Locale.ROOT)))
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
        ClassicGroup g = classic.get(groupId);
        if (g != null) {
            return classic.describe(g);
        }
        if (consumer.contains(groupId)) {
            return consumer.describeClassic(groupId);
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
            if (!GroupIds.isValid(groupId)) {
                error = Errors.INVALID_GROUP_ID;
            } else if (consumer.contains(groupId)) {
                if (!consumer.isEmpty(groupId)) {
                    error = Errors.NON_EMPTY_GROUP;
                } else {
                    offsetTombstones(groupId, records);
                    records.addAll(consumer.deletion(groupId));
                }
            } else {
                ClassicGroup g = classic.get(groupId);
                if (g != null && !g.isEmptyOrDead()) {
                    error = Errors.NON_EMPTY_GROUP;
                } else if (g == null && !offsets.hasOffsets(groupId) && !offsets.hasOpenTransactions(groupId)) {
                    error = Errors.GROUP_ID_NOT_FOUND;
                } else {
                    offsetTombstones(groupId, records);
                    if (g != null) {
                        records.add(classic.deletion(groupId));
                    }
                }
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
