package io.millrace.server.handlers;

import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import java.net.InetAddress;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

/** A fixed set of grants, for the handlers' authorization tests. */
final class TestGrants {
    private TestGrants() {
    }

    /** Allows exactly the listed "TYPE:name:OPERATION" grants. */
    record Grants(Set<String> grants) implements Authorization {
        Grants(String... grants) {
            this(Set.of(grants));
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean allows(AclOperation operation, ResourceType type, String name) {
            return grants.contains(type + ":" + name + ":" + operation);
        }

        @Override
        public boolean allowsQuietly(AclOperation operation, ResourceType type, String name) {
            return allows(operation, type, name);
        }

        @Override
        public boolean allowsAnyOfType(AclOperation operation, ResourceType type) {
            return grants.stream().anyMatch(g -> g.startsWith(type + ":") && g.endsWith(":" + operation));
        }
    }

    /** A request of {@code api} at its latest version by User:alice, decided by {@code authorization}. */
    static RequestContext context(ApiKeys api, Authorization authorization) {
        return new RequestContext(new RequestHeader(api, api.latestVersion(), "test", 1),
                InetAddress.getLoopbackAddress(), "SASL", 1, "User:alice", authorization);
    }
}
