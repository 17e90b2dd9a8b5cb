package io.millrace.coordinator.consumer;

import io.millrace.coordinator.TopicVisibility;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which of the topics a member's {@code SubscribedTopicRegex} matches its principal may DESCRIBE:
 * those are the topics the regex resolves to for that member (Kafka 4.4 likewise leaves topics
 * the principal may not describe out of a regex's resolution, KAFKA-18813; it resolves a group's
 * regex with the authorization of whichever member's heartbeat triggered the refresh, we with
 * each member's own).
 *
 * <p>Each heartbeat hands in what its principal may see now; the answer for a member is asked
 * of the authorizer again at its next heartbeat, or when the set of topics its regex matches
 * changes, so an ACL added or removed counts within a heartbeat interval, and a group's
 * resolution otherwise costs no authorizer call per member per heartbeat. A member no heartbeat
 * has reached since this shard loaded the group (a coordinator moved) is not known here:
 * {@link #visible} answers null and the caller keeps the topics already assigned to it, unless
 * a heartbeat has shown that no authorizer is on (then every member sees every topic).
 *
 * <p>Not replayed from records: it is what requests said about their principals, kept in memory
 * by the shard. Not thread-safe: one per coordinator shard, used on its thread.
 */
final class RegexVisibility {
    private final Map<String, Map<String, Seen>> byGroup = new HashMap<>();
    /** Whether the last heartbeat came without an authorizer (a broker-wide, static setting). */
    private boolean noAuthorizer;

    /** What a member may see, and the answer for the last set of matched topics asked about. */
    private record Seen(TopicVisibility visibility, Set<String> matched, Set<String> visible) {
    }

    /** The member whose heartbeat is handled now sees what {@code visibility} says (asked afresh). */
    void heartbeat(String groupId, String memberId, TopicVisibility visibility) {
        byGroup.computeIfAbsent(groupId, g -> new HashMap<>()).put(memberId, new Seen(visibility, null, null));
        noAuthorizer = visibility == TopicVisibility.ALL;
    }

    /**
     * The topics of {@code matched} the member may see; null when no heartbeat of the member
     * has said and an authorizer may be on.
     */
    Set<String> visible(String groupId, String memberId, Set<String> matched) {
        Map<String, Seen> members = byGroup.get(groupId);
        Seen seen = members == null ? null : members.get(memberId);
        if (seen == null) {
            return noAuthorizer ? matched : null;
        }
        if (seen.visibility() == TopicVisibility.ALL) {
            return matched;
        }
        if (matched.equals(seen.matched())) {
            return seen.visible();
        }
        Set<String> visible = new HashSet<>();
        for (String topic : matched) {
            if (seen.visibility().mayDescribe(topic)) {
                visible.add(topic);
            }
        }
        members.put(memberId, new Seen(seen.visibility(), Set.copyOf(matched), visible));
        return visible;
    }

    /** Forgets the group's members that are not in {@code memberIds} (gone members, a group emptied). */
    void retain(String groupId, Set<String> memberIds) {
        Map<String, Seen> members = byGroup.get(groupId);
        if (members == null) {
            return;
        }
        members.keySet().retainAll(memberIds);
        if (members.isEmpty()) {
            byGroup.remove(groupId);
        }
    }
}
