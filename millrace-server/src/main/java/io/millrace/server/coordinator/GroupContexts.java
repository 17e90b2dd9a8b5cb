package io.millrace.server.coordinator;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicVisibility;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/** A request's context as the group coordinator sees it. Stateless. */
public final class GroupContexts {
    private GroupContexts() {
    }

    /**
     * Client id, host as Kafka shows it ("/127.0.0.1"), the request's version, and the topics its
     * principal may DESCRIBE (asked of the authorizer when the coordinator needs to know, a denial
     * logged at DEBUG as for a listing; every topic without an authorizer).
     */
    public static GroupRequestContext of(RequestContext context) {
        String host = context.clientAddress() == null ? "" : "/" + context.clientAddress().getHostAddress();
        Authorization authorization = context.authorization();
        TopicVisibility topics = authorization.enabled()
                ? topic -> authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.TOPIC, topic)
                : TopicVisibility.ALL;
        return new GroupRequestContext(context.clientId() == null ? "" : context.clientId(), host,
                context.apiVersion(), topics);
    }
}
