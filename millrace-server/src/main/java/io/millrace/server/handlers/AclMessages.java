package io.millrace.server.handlers;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.acl.AclFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The wire codes of CreateAcls, DescribeAcls and DeleteAcls to and from ACLs and filters: a code
 * this broker does not know becomes UNKNOWN, which the controller and the handlers refuse as
 * Kafka does (INVALID_REQUEST). Stateless.
 */
final class AclMessages {
    /** The message of ACL requests to a broker without an authorizer, as Kafka's. */
    static final String NO_AUTHORIZER = "No Authorizer is configured.";

    private AclMessages() {
    }

    static AclEntry entry(byte resourceType, String name, byte patternType, String principal, String host,
                          byte operation, byte permission) {
        return new AclEntry(ResourceType.fromCode(resourceType), name, PatternType.fromCode(patternType), principal, host,
                AclOperation.fromCode(operation), AclPermissionType.fromCode(permission));
    }

    static AclFilter filter(byte resourceType, String name, byte patternType, String principal, String host,
                            byte operation, byte permission) {
        return new AclFilter(ResourceType.fromCode(resourceType), name, PatternType.fromCode(patternType), principal,
                host, AclOperation.fromCode(operation), AclPermissionType.fromCode(permission));
    }
}
