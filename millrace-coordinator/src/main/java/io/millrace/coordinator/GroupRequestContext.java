package io.millrace.coordinator;

/**
 * Who sent a group request: what DescribeGroups shows of a member, the version that decides
 * version-dependent behaviour (member id required from JoinGroup v4, ...), and which topics its
 * principal may see (what a consumer-protocol regex subscription resolves to).
 *
 * @param clientHost as Kafka shows it, e.g. "/127.0.0.1"
 * @param topics     the topics the request's principal may DESCRIBE; {@link TopicVisibility#ALL}
 *                   without an authorizer
 */
public record GroupRequestContext(String clientId, String clientHost, short apiVersion, TopicVisibility topics) {

    /** A request whose principal may see every topic (no authorizer). */
    public GroupRequestContext(String clientId, String clientHost, short apiVersion) {
        this(clientId, clientHost, apiVersion, TopicVisibility.ALL);
    }
}
