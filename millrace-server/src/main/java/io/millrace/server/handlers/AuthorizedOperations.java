package io.millrace.server.handlers;

import io.millrace.server.api.Authorization;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The authorized-operations fields of Metadata, DescribeCluster, DescribeGroups and the group
 * describe APIs (KIP-430): a bit per operation code, set for each operation Kafka supports on the
 * resource type that the principal may do (all of them without an authorizer, as in Kafka).
 * Stateless.
 */
final class AuthorizedOperations {
    /** What a field holds when the request did not ask for it. */
    static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private static final List<AclOperation> TOPIC = List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
            AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);
    private static final List<AclOperation> GROUP = List.of(AclOperation.READ, AclOperation.DESCRIBE,
            AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final List<AclOperation> CLUSTER = List.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER, AclOperation.DESCRIBE);

    private AuthorizedOperations() {
    }

    static int topic(Authorization authorization, String topic) {
        return bits(authorization, TOPIC, ResourceType.TOPIC, topic);
    }

    static int group(Authorization authorization, String groupId) {
        return bits(authorization, GROUP, ResourceType.GROUP, groupId);
    }

    /** As Kafka: none (0) unless the principal may DESCRIBE the cluster. */
    static int cluster(Authorization authorization) {
        if (!authorization.allowsCluster(AclOperation.DESCRIBE)) {
            return 0;
        }
        return bits(authorization, CLUSTER, ResourceType.CLUSTER, Authorization.CLUSTER);
    }

    private static int bits(Authorization authorization, List<AclOperation> supported, ResourceType type, String name) {
        int bits = 0;
        for (AclOperation operation : supported) {
            if (authorization.allowsQuietly(operation, type, name)) {
                bits |= 1 << operation.code();
            }
        }
        return bits;
    }
}
