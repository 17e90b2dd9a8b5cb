package io.millrace.metadata.acl;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Which ACLs a DescribeAcls or DeleteAcls names, with Kafka's filter semantics: a null name,
 * principal or host matches any; resource type, operation and permission ANY match any; pattern
 * type ANY matches either pattern type by exact name, MATCH matches the ACLs that would apply to
 * the named resource (the literal name, the literal wildcard {@code *}, and every prefix of it).
 * Immutable.
 */
public record AclFilter(ResourceType resourceType, String resourceName, PatternType patternType,
                        String principal, String host, AclOperation operation, AclPermissionType permission) {

    /** A filter that matches every ACL. */
    public static final AclFilter ANY = new AclFilter(ResourceType.ANY, null, PatternType.ANY, null, null,
            AclOperation.ANY, AclPermissionType.ANY);

    /** Whether any part of the filter is a code this broker does not know (UNKNOWN). */
    public boolean isUnknown() {
        return resourceType == ResourceType.UNKNOWN || patternType == PatternType.UNKNOWN
                || operation == AclOperation.UNKNOWN || permission == AclPermissionType.UNKNOWN;
    }

    public boolean matches(AclEntry acl) {
        return matchesPattern(acl) && (principal == null || principal.equals(acl.principal()))
                && (host == null || host.equals(acl.host()))
                && (operation == AclOperation.ANY || operation == acl.operation())
                && (permission == AclPermissionType.ANY || permission == acl.permission());
    }

    private boolean matchesPattern(AclEntry acl) {
        if (resourceType != ResourceType.ANY && resourceType != acl.resourceType()) {
            return false;
        }
        if (patternType != PatternType.ANY && patternType != PatternType.MATCH && patternType != acl.patternType()) {
            return false;
        }
        if (resourceName == null) {
            return true;
        }
        if (patternType != PatternType.MATCH) {
            return resourceName.equals(acl.resourceName());
        }
        return switch (acl.patternType()) {
            case LITERAL -> resourceName.equals(acl.resourceName()) || acl.resourceName().equals(AclEntry.WILDCARD_RESOURCE);
            case PREFIXED -> resourceName.startsWith(acl.resourceName());
            default -> false;
        };
    }
}
