package io.millrace.coordinator;

/**
 * Which topics the principal of a group request may DESCRIBE, as the server's authorizer decides
 * it when asked (so an ACL added or removed later counts at the next question). The group
 * coordinator resolves a member's {@code SubscribedTopicRegex} to the matching topics this says
 * the member may see, as Kafka 4.4 does (KAFKA-18813). {@link #ALL} when no authorizer is on.
 *
 * <p>Implementations are thread-safe: asked on a coordinator shard's thread after the request
 * that supplied them was answered.
 */
@FunctionalInterface
public interface TopicVisibility {

    /** No authorizer: every topic is visible. */
    TopicVisibility ALL = topic -> true;

    /** Whether the principal may DESCRIBE {@code topic}. */
    boolean mayDescribe(String topic);
}
