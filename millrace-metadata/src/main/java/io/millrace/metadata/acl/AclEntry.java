package io.millrace.metadata.acl;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ACL, as Kafka's {@code AclBinding}: a resource pattern (type, name, LITERAL or PREFIXED)
 * and an entry (principal such as {@code User:alice} or {@code User:*}, host or {@code *},
 * operation, ALLOW or DENY). The enums are kafka-clients' wire codes. Immutable.
 */
public record AclEntry(ResourceType resourceType, String resourceName, PatternType patternType,
                       String principal, String host, AclOperation operation, AclPermissionType permission) {

    /** The resource name that a LITERAL pattern uses to match every resource of its type. */
    public static final String WILDCARD_RESOURCE = "*";
    /** The principal that matches every principal. */
    public static final String WILDCARD_PRINCIPAL = "User:*";
    /** The host that matches every host. */
    public static final String WILDCARD_HOST = "*";
    /** The one name of the CLUSTER resource. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    /** As Kafka's tools print it: {@code (pattern=..., entry=...)}. */
    @Override
    public String toString() {
        return "(resourceType=" + resourceType + ", name=" + resourceName + ", patternType=" + patternType
                + ", principal=" + principal + ", host=" + host + ", operation=" + operation
                + ", permissionType=" + permission + ")";
    }
}
