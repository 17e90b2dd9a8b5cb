package io.millrace.coordinator.group;

import io.millrace.coordinator.classic.ClassicGroup;
import io.millrace.coordinator.classic.ClassicGroups;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The first heartbeat of a streams or share group on a group id: allowed when the id is free or
 * already of that type, or when an idle classic group holds it (only committed offsets, or
 * emptied), which is then deleted in the same batch as the heartbeat's records; any other owner
 * gets the type's GROUP_ID_NOT_FOUND answer. Stateless; shard thread.
 */
public final class IdleClassicTakeover {
    private IdleClassicTakeover() {
    }

    /**
     * {@code heartbeat}'s result, preceded by the deletion of the idle classic group that held
     * {@code groupId} (when it wrote anything); {@code notOfType} when another group holds it.
     */
    public static <R> CoordinatorResult<R> heartbeat(GroupCoordinatorShard shard, String groupId, GroupType type,
                                                     Supplier<CoordinatorResult<R>> heartbeat,
                                                     Supplier<CoordinatorResult<R>> notOfType) {
        Optional<GroupType> owner = groupId == null ? Optional.empty() : shard.groupTypes().owner(groupId);
        ClassicGroups classicGroups = shard.classicGroups();
        ClassicGroup classic = null;
        if (owner.isPresent() && owner.get() != type) {
            classic = classicGroups.get(groupId);
            if (classic == null || !classicGroups.isIdle(classic)) {
                return notOfType.get();
            }
        }
        CoordinatorResult<R> result = heartbeat.get();
        if (classic == null || result.records().isEmpty()) {
            return result;
        }
        List<CoordinatorRecord> records = new ArrayList<>();
        records.add(classicGroups.deletion(groupId));
        records.addAll(result.records());
        return new CoordinatorResult<>(records, result.response());
    }
}
