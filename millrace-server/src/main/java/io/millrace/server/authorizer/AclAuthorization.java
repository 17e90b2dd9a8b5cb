package io.millrace.server.authorizer;

import io.millrace.server.api.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's {@link Authorization} under the {@link AclAuthorizer}: every decision is logged to
 * the {@code kafka.authorizer.logger} logger in Kafka's words ("Principal = User:bob is Denied operation = READ
 * from host = 127.0.0.1 on resource = Topic:LITERAL:orders for request = Fetch with
 * resourceRefCount = 1 based on rule ..."): denials at INFO (DEBUG for a listing's), allowances at
 * DEBUG. Thread-safe (immutable).
 */
final class AclAuthorization implements Authorization {
    private static final Logger AUDIT = LoggerFactory.getLogger("kafka.authorizer.logger");

    private final AclAuthorizer authorizer;
    private final String principal;
    private final String host;
    private final ApiKeys api;

    AclAuthorization(AclAuthorizer authorizer, String principal, String host, ApiKeys api) {
        this.authorizer = authorizer;
        this.principal = principal;
        this.host = host;
        this.api = api;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean allows(AclOperation operation, ResourceType type, String name) {
        return check(operation, type, name, true);
    }

    @Override
    public boolean allowsQuietly(AclOperation operation, ResourceType type, String name) {
        return check(operation, type, name, false);
    }

    @Override
    public boolean allowsAnyOfType(AclOperation operation, ResourceType type) {
        boolean allowed = authorizer.allowsAnyOfType(principal, host, operation, type);
        if (!allowed && AUDIT.isInfoEnabled()) {
            AUDIT.info("Principal = {} is Denied operation = {} from host = {} on any resource of type {} for request = {}",
                    principal, operation, host, typeName(type), api.name);
        }
        return allowed;
    }

    private boolean check(AclOperation operation, ResourceType type, String name, boolean logIfDenied) {
        AclDecision decision = authorizer.decide(principal, host, operation, type, name);
        boolean loud = !decision.allowed() && logIfDenied;
        if (loud ? AUDIT.isInfoEnabled() : AUDIT.isDebugEnabled()) {
            String message = "Principal = {} is {} operation = {} from host = {} on resource = {}:LITERAL:{} for request = {}"
                    + " with resourceRefCount = 1 based on rule {}";
            Object[] args = {principal, decision.allowed() ? "Allowed" : "Denied", operation, host, typeName(type), name,
                    api.name, decision.rule()};
            if (loud) {
                AUDIT.info(message, args);
            } else {
                AUDIT.debug(message, args);
            }
        }
        return decision.allowed();
    }

    /** Kafka's names of resource types in its logs: Topic, Group, Cluster, TransactionalId, ... */
    private static String typeName(ResourceType type) {
        return switch (type) {
            case TOPIC -> "Topic";
            case GROUP -> "Group";
            case CLUSTER -> "Cluster";
            case TRANSACTIONAL_ID -> "TransactionalId";
            case DELEGATION_TOKEN -> "DelegationToken";
            case USER -> "User";
            default -> type.name();
        };
    }
}
