package io.millrace.coordinator.consumer;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.apache.kafka.common.Uuid;

/**
 * A server-side assignor of consumer groups (KIP-848): from the members' subscriptions and the
 * subscribed topics' partition counts, the target assignment of every member. A pure function:
 * the same input gives the same output, so a replayed group gets the assignment it had.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface ConsumerGroupAssignor {

    /** The name clients ask for in {@code group.remote.assignor} and brokers list in {@code group.consumer.assignors}. */
    String name();

    /**
     * The target assignment of every member of {@code spec}, each member present (possibly
     * empty). Every partition of a topic some member subscribes to is assigned to exactly one
     * member subscribed to that topic.
     */
    Map<String, PartitionSet> assign(Spec spec);

    /**
     * What an assignor is given.
     *
     * @param members         member id → its subscription, ordered by member id
     * @param partitionCounts partitions of every topic any member subscribes to that exists
     */
    record Spec(SortedMap<String, Member> members, Map<Uuid, Integer> partitionCounts) {
    }

    /**
     * One member as an assignor sees it.
     *
     * @param subscribedTopics the ids of the topics it subscribes to (names and regex resolved)
     * @param currentTarget    its target assignment before this one, for stickiness
     */
    record Member(Set<Uuid> subscribedTopics, PartitionSet currentTarget) {
    }
}
