package io.millrace.coordinator.consumer;

import io.millrace.coordinator.TopicVisibility;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.TopicsView.TopicInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;

/**
 * Turns members' subscriptions (topic names and a regular expression each) into the topics that
 * exist now. Kafka evaluates {@code SubscribedTopicRegex} with RE2/J; we use
 * {@link java.util.regex.Pattern}, whose syntax is a superset of RE2's for the patterns clients
 * send (RE2 lacks back-references and look-around, which Java also accepts). A pattern must
 * match the whole topic name. Internal topics are never matched by a pattern, only by name. A
 * pattern resolves, for each member, to the matching topics its principal may DESCRIBE
 * ({@link RegexVisibility}); topics named are authorized by the heartbeat's handler.
 *
 * <p>Not thread-safe: one per coordinator shard; it caches compiled patterns.
 */
final class SubscriptionResolver {
    private static final Set<String> INTERNAL_TOPICS =
            Set.of("__consumer_offsets", "__transaction_state", "__share_group_state", "__cluster_metadata");
    private static final int PATTERN_CACHE_LIMIT = 1024;

    private final TopicsView topics;
    private final Map<String, Pattern> patterns = new HashMap<>();
    private final RegexVisibility regexVisibility = new RegexVisibility();

    SubscriptionResolver(TopicsView topics) {
        this.topics = topics;
    }

    /**
     * What a group subscribes to now.
     *
     * @param metadata      the subscribed topics that exist, ordered by name: a change in it
     *                      (a topic created, deleted, grown) needs a new target assignment
     * @param memberTopics  member id → ids of the topics it subscribes to
     */
    record Resolved(List<TopicInfo> metadata, Map<String, Set<Uuid>> memberTopics) {
        Map<Uuid, Integer> partitionCounts() {
            Map<Uuid, Integer> counts = new LinkedHashMap<>();
            metadata.forEach(t -> counts.put(t.id(), t.partitions()));
            return counts;
        }
    }

    /** Compiles {@code regex}; PatternSyntaxException if it is not one. */
    Pattern compile(String regex) {
        Pattern pattern = patterns.get(regex);
        if (pattern == null) {
            pattern = Pattern.compile(regex);
            if (patterns.size() >= PATTERN_CACHE_LIMIT) {
                patterns.clear();
            }
            patterns.put(regex, pattern);
        }
        return pattern;
    }

    /** True when {@code regex} compiles. */
    boolean isValid(String regex) {
        try {
            compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** The heartbeat handled now comes from a member whose principal sees {@code visibility}. */
    void heartbeat(String groupId, String memberId, TopicVisibility visibility) {
        regexVisibility.heartbeat(groupId, memberId, visibility);
    }

    /**
     * What the group's members subscribe to now: the topics named that exist, and the topics
     * their regex matches that their principal may DESCRIBE (a member not known to
     * {@link RegexVisibility} keeps, of those matched, the topics of {@code targets}).
     *
     * @param targets member id → its current target assignment
     */
    Resolved resolve(String groupId, Collection<ConsumerGroupMember> members, Map<String, PartitionSet> targets) {
        Map<String, TopicInfo> byName = new TreeMap<>();
        Set<String> regexes = new HashSet<>();
        for (ConsumerGroupMember member : members) {
            for (String name : member.subscribedTopicNames()) {
                if (!byName.containsKey(name)) {
                    topics.byName(name).ifPresent(t -> byName.put(name, t));
                }
            }
            if (member.subscribedTopicRegex() != null) {
                regexes.add(member.subscribedTopicRegex());
            }
        }
        Map<String, Set<String>> regexMatches = new HashMap<>();
        Map<String, TopicInfo> matchedTopics = new HashMap<>();
        if (!regexes.isEmpty()) {
            for (TopicInfo topic : topics.all()) {
                if (INTERNAL_TOPICS.contains(topic.name())) {
                    continue;
                }
                for (String regex : regexes) {
                    if (compile(regex).matcher(topic.name()).matches()) {
                        matchedTopics.put(topic.name(), topic);
                        regexMatches.computeIfAbsent(regex, r -> new HashSet<>()).add(topic.name());
                    }
                }
            }
        }
        Map<String, Set<Uuid>> memberTopics = new HashMap<>();
        Map<String, Set<String>> regexTopics = new HashMap<>();
        for (ConsumerGroupMember member : members) {
            Set<Uuid> ids = new HashSet<>();
            for (String name : member.subscribedTopicNames()) {
                TopicInfo topic = byName.get(name);
                if (topic != null) {
                    ids.add(topic.id());
                }
            }
            memberTopics.put(member.memberId(), ids);
            if (member.subscribedTopicRegex() != null) {
                Set<String> matched = regexMatches.getOrDefault(member.subscribedTopicRegex(), Set.of());
                Set<String> visible = regexVisibility.visible(groupId, member.memberId(), matched);
                if (visible == null) {
                    Set<Uuid> assigned = targets.getOrDefault(member.memberId(), PartitionSet.EMPTY).topics();
                    visible = new HashSet<>();
                    for (String name : matched) {
                        if (assigned.contains(matchedTopics.get(name).id())) {
                            visible.add(name);
                        }
                    }
                }
                regexTopics.put(member.memberId(), visible);
            }
        }
        regexTopics.forEach((memberId, names) -> names.forEach(name -> {
            TopicInfo topic = matchedTopics.get(name);
            byName.putIfAbsent(name, topic);
            memberTopics.get(memberId).add(topic.id());
        }));
        Set<String> memberIds = new HashSet<>(memberTopics.keySet());
        regexVisibility.retain(groupId, memberIds);
        return new Resolved(new ArrayList<>(byName.values()), memberTopics);
    }
}
