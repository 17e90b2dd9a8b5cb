package io.millrace.coordinator.share;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The replayed state of one share group: its epoch, members and the topics it may have
 * share-partition state of (its state topics, by id, with their names). Changed only by
 * {@link ShareGroups#replay}. Not thread-safe: confined to its shard's thread.
 */
public final class ShareGroup {
    /** The states ShareGroupDescribe and ListGroups show. */
    public enum State {
        EMPTY("Empty"), STABLE("Stable"), DEAD("Dead");

        public final String displayName;

        State(String displayName) {
            this.displayName = displayName;
        }
    }

    private final String groupId;
    private int groupEpoch;
    private final SortedMap<String, ShareMember> members = new TreeMap<>();
    private Map<Uuid, String> stateTopics = Map.of();

    ShareGroup(String groupId) {
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    /** Members by id, in id order. */
    public SortedMap<String, ShareMember> members() {
        return Collections.unmodifiableSortedMap(members);
    }

    public ShareMember member(String memberId) {
        return members.get(memberId);
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    /** The topics the group may have share-partition state of: id to name. */
    public Map<Uuid, String> stateTopics() {
        return stateTopics;
    }

    public State state() {
        return members.isEmpty() ? State.EMPTY : State.STABLE;
    }

    void applyGroupEpoch(int epoch) {
        this.groupEpoch = epoch;
    }

    void applyMember(ShareMember member) {
        members.put(member.memberId(), member);
    }

    void applyStateTopics(Map<Uuid, String> topics) {
        this.stateTopics = Map.copyOf(topics);
    }

    void removeMember(String memberId) {
        members.remove(memberId);
    }
}
