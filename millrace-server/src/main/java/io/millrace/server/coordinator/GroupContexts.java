package io.millrace.server.coordinator;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.server.api.RequestContext;

/** A request's context as the group coordinator sees it. Stateless. */
public final class GroupContexts {
    private GroupContexts() {
    }

    /** Client id, host as Kafka shows it ("/127.0.0.1"), and the request's version. */
    public static GroupRequestContext of(RequestContext context) {
        String host = context.clientAddress() == null ? "" : "/" + context.clientAddress().getHostAddress();
        return new GroupRequestContext(context.clientId() == null ? "" : context.clientId(), host,
                context.apiVersion());
    }
}
