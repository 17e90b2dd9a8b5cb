package io.millrace.server.api;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What the principal of one request may do, as Kafka's authorizer decides it; handlers ask it
 * before acting on a resource and answer the API's *_AUTHORIZATION_FAILED error when it says no.
 * {@link #NONE} (no authorizer configured) allows everything at no cost. A denial asked through
 * {@link #allows} is logged at INFO to the {@code kafka.authorizer.logger} logger, as Kafka's are; one asked
 * through {@link #allowsQuietly} (a listing that leaves out what the principal may not see) at DEBUG.
 *
 * <p>Thread-safe; one instance serves one request.
 */
public interface Authorization {

    /** The name of the one CLUSTER resource. */
    String CLUSTER = "kafka-cluster";

    /** No authorizer: everything is allowed. */
    Authorization NONE = new Authorization() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean allows(AclOperation operation, ResourceType type, String name) {
            return true;
        }

        @Override
        public boolean allowsQuietly(AclOperation operation, ResourceType type, String name) {
            return true;
        }

        @Override
        public boolean allowsAnyOfType(AclOperation operation, ResourceType type) {
            return true;
        }
    };

    /** Whether an authorizer decides (false: every check allows). */
    boolean enabled();

    /** Whether {@code operation} on the resource is allowed; a denial is logged at INFO. */
    boolean allows(AclOperation operation, ResourceType type, String name);

    /** As {@link #allows}, for leaving unauthorized resources out of a listing: a denial is logged at DEBUG. */
    boolean allowsQuietly(AclOperation operation, ResourceType type, String name);

    /**
     * Whether {@code operation} is allowed on at least one resource of {@code type} (Kafka's
     * authorizeByResourceType, KIP-679: an idempotent producer may write if it may write some topic).
     */
    boolean allowsAnyOfType(AclOperation operation, ResourceType type);

    /** Whether {@code operation} on the cluster is allowed; a denial is logged at INFO. */
    default boolean allowsCluster(AclOperation operation) {
        return allows(operation, ResourceType.CLUSTER, CLUSTER);
    }

    /** Whether {@code operation} on topic {@code name} is allowed; a denial is logged at INFO. */
    default boolean allowsTopic(AclOperation operation, String name) {
        return allows(operation, ResourceType.TOPIC, name);
    }

    /** Whether {@code operation} on group {@code groupId} is allowed; a denial is logged at INFO. */
    default boolean allowsGroup(AclOperation operation, String groupId) {
        return allows(operation, ResourceType.GROUP, groupId);
    }

    /** Whether {@code operation} on {@code transactionalId} is allowed; a denial is logged at INFO. */
    default boolean allowsTransactionalId(AclOperation operation, String transactionalId) {
        return allows(operation, ResourceType.TRANSACTIONAL_ID, transactionalId);
    }
}
