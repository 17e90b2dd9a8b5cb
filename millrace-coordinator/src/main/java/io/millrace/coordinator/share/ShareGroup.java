package io.millrace.coordinator.share;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The replayed state of one share group: its epoch and members. Changed only by
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

    public State state() {
        return members.isEmpty() ? State.EMPTY : State.STABLE;
    }

    void applyGroupEpoch(int epoch) {
        this.groupEpoch = epoch;
    }

    void applyMember(ShareMember member) {
        members.put(member.memberId(), member);
    }

    void removeMember(String memberId) {
        members.remove(memberId);
    }
}
