package io.millrace.coordinator.group;

import java.util.List;
import java.util.Optional;

/**
 * The group types of one shard, in the order ListGroups lists them; the first is the type of a
 * group id no type holds yet (classic: a "simple" group with only committed offsets). Every API
 * that spans group types routes a group id through here. Confined to the shard's thread.
 */
public final class GroupTypes {
    private final List<GroupType> types;

    GroupTypes(List<GroupType> types) {
        this.types = List.copyOf(types);
    }

    public List<GroupType> all() {
        return types;
    }

    /** The type holding this group id, if a group of that id exists. */
    public Optional<GroupType> owner(String groupId) {
        for (GroupType type : types) {
            if (type.contains(groupId)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type holding this group id, or the default type (classic) when none does. */
    public GroupType ownerOrDefault(String groupId) {
        return owner(groupId).orElse(types.get(0));
    }

    /** Whether a type other than {@code type} holds this group id. */
    public boolean heldByOther(GroupType type, String groupId) {
        return owner(groupId).filter(t -> t != type).isPresent();
    }

    /** The type whose records have this key type; null for a key type of a newer version. */
    GroupType forRecord(short keyType) {
        for (GroupType type : types) {
            if (type.handles(keyType)) {
                return type;
            }
        }
        return null;
    }
}
