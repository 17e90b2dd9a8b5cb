package io.millrace.metadata.controller;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.acl.AclFilter;
import io.millrace.metadata.controller.command.CreateAcls;
import io.millrace.metadata.controller.command.DeleteAcls;
import io.millrace.metadata.controller.command.DeleteAcls.FilterResult;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.AclRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.RemoveAclRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreateAcls and DeleteAcls as pure functions of the image, with Kafka's validation: a creation
 * whose resource type, pattern type (LITERAL or PREFIXED only), operation or permission is
 * ANY/UNKNOWN (or MATCH), whose resource name is empty, whose CLUSTER resource is not named
 * {@code kafka-cluster}, or whose principal has no {@code Type:} part is INVALID_REQUEST; an ACL
 * that already exists is created again successfully without a record. A deletion filter with an
 * UNKNOWN part is INVALID_REQUEST; every ACL a filter matches is listed in that filter's result
 * and removed once. Stateless.
 */
final class AclCommands {

    private AclCommands() {
    }

    static CommandResult<CreateAcls.Reply> create(MetadataImage image, CreateAcls command) {
        Set<AclEntry> existing = new HashSet<>(image.acls().values());
        List<MetadataRecord> records = new ArrayList<>();
        List<ApiError> results = new ArrayList<>();
        for (AclEntry acl : command.creations()) {
            ApiError error = validate(acl);
            if (error.isSuccess() && existing.add(acl)) {
                records.add(new AclRecord(Uuid.randomUuid(), acl));
            }
            results.add(error);
        }
        String event = records.isEmpty() ? null : "Created " + records.size() + " ACL(s)";
        return new CommandResult<>(records, new CreateAcls.Reply(results), event);
    }

    static CommandResult<DeleteAcls.Reply> delete(MetadataImage image, DeleteAcls command) {
        Set<Uuid> removed = new LinkedHashSet<>();
        List<FilterResult> results = new ArrayList<>();
        for (AclFilter filter : command.filters()) {
            if (filter.isUnknown()) {
                results.add(new FilterResult(ApiError.of(Errors.INVALID_REQUEST, "The filter has an unknown part: "
                        + filter), List.of()));
                continue;
            }
            List<AclEntry> matched = new ArrayList<>();
            for (Map.Entry<Uuid, AclEntry> acl : image.acls().entrySet()) {
                if (filter.matches(acl.getValue())) {
                    matched.add(acl.getValue());
                    removed.add(acl.getKey());
                }
            }
            results.add(new FilterResult(ApiError.NONE, matched));
        }
        List<MetadataRecord> records = removed.stream().<MetadataRecord>map(RemoveAclRecord::new).toList();
        String event = records.isEmpty() ? null : "Deleted " + records.size() + " ACL(s)";
        return new CommandResult<>(records, new DeleteAcls.Reply(results), event);
    }

    /** Why {@code acl} cannot be created, or {@link ApiError#NONE}. */
    static ApiError validate(AclEntry acl) {
        if (acl.resourceType() == ResourceType.ANY || acl.resourceType() == ResourceType.UNKNOWN) {
            return invalid("Invalid resourceType " + acl.resourceType());
        }
        if (acl.patternType() != PatternType.LITERAL && acl.patternType() != PatternType.PREFIXED) {
            return invalid("Invalid patternType " + acl.patternType());
        }
        if (acl.operation() == AclOperation.ANY || acl.operation() == AclOperation.UNKNOWN) {
            return invalid("Invalid operation " + acl.operation());
        }
        if (acl.permission() != AclPermissionType.ALLOW && acl.permission() != AclPermissionType.DENY) {
            return invalid("Invalid permissionType " + acl.permission());
        }
        if (acl.resourceName() == null || acl.resourceName().isEmpty()) {
            return invalid("Resource name should not be empty");
        }
        if (acl.resourceType() == ResourceType.CLUSTER && !acl.resourceName().equals(AclEntry.CLUSTER_NAME)) {
            return invalid("The only valid name for the CLUSTER resource is " + AclEntry.CLUSTER_NAME);
        }
        if (acl.principal() == null || acl.principal().indexOf(':') <= 0) {
            return invalid("Could not parse principal from `" + acl.principal() + "` (no colon is present "
                    + "separating the principal type from the principal name)");
        }
        if (acl.host() == null || acl.host().isEmpty()) {
            return invalid("Invalid host " + acl.host());
        }
        return ApiError.NONE;
    }

    private static ApiError invalid(String message) {
        return ApiError.of(Errors.INVALID_REQUEST, message);
    }
}
