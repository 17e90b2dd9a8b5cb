package io.millrace.coordinator;

/**
 * Who sent a group request: what DescribeGroups shows of a member, and the version that decides
 * version-dependent behaviour (member id required from JoinGroup v4, ...).
 *
 * @param clientHost as Kafka shows it, e.g. "/127.0.0.1"
 */
public record GroupRequestContext(String clientId, String clientHost, short apiVersion) {
}
