package io.millrace.server.handlers;

import io.millrace.server.api.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

/**
 * Who may describe or alter a config resource, as Kafka decides: a topic's configs need
 * DESCRIBE_CONFIGS / ALTER_CONFIGS on the topic, a group's on the group, a broker's (and the
 * cluster-wide defaults, broker loggers, client metrics) on the cluster. Stateless.
 */
final class ConfigAuthorization {
    private ConfigAuthorization() {
    }

    /** The error to answer for a resource {@code operation} is not allowed on, or NONE. */
    static Errors check(Authorization authorization, AclOperation operation, byte resourceType, String resourceName) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        return switch (type) {
            case TOPIC -> authorization.allowsTopic(operation, resourceName) ? Errors.NONE
                    : Errors.TOPIC_AUTHORIZATION_FAILED;
            case GROUP -> authorization.allowsGroup(operation, resourceName) ? Errors.NONE
                    : Errors.GROUP_AUTHORIZATION_FAILED;
            case UNKNOWN -> Errors.NONE; // the handler answers the unknown type itself
            default -> authorization.allowsCluster(operation) ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
        };
    }
}
