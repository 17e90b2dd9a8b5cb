package io.millrace.server.handlers;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.acl.AclFilter;
import io.millrace.metadata.log.MetadataView;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData.AclDescription;
import org.apache.kafka.common.message.DescribeAclsResponseData.DescribeAclsResource;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeAcls: the ACLs of this node's metadata image that match the filter, grouped by resource
 * pattern (sorted by type, name and pattern type; the ACLs of one pattern by principal, host,
 * operation and permission). A filter with an unknown part is INVALID_REQUEST. Needs DESCRIBE on
 * the cluster; without an authorizer, SECURITY_DISABLED, as in Kafka. Stateless.
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequestData> {
    private static final Comparator<AclEntry> ENTRY_ORDER = Comparator.comparing(AclEntry::principal)
            .thenComparing(AclEntry::host).thenComparing(AclEntry::operation).thenComparing(AclEntry::permission);

    private final MetadataView metadata;

    public DescribeAclsHandler(MetadataView metadata) {
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<DescribeAclsResponseData> handle(RequestContext context, DescribeAclsRequestData request) {
        if (!context.authorization().enabled()) {
            return CompletableFuture.failedFuture(Errors.SECURITY_DISABLED.exception(AclMessages.NO_AUTHORIZER));
        }
        if (!context.authorization().allowsCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        AclFilter filter = AclMessages.filter(request.resourceTypeFilter(), request.resourceNameFilter(),
                request.patternTypeFilter(), request.principalFilter(), request.hostFilter(), request.operation(),
                request.permissionType());
        if (filter.isUnknown()) {
            return CompletableFuture.completedFuture(new DescribeAclsResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("The filter has an unknown part: " + filter));
        }
        Map<String, DescribeAclsResource> resources = new TreeMap<>();
        List<AclEntry> matching = metadata.image().acls().values().stream().filter(filter::matches)
                .sorted(ENTRY_ORDER).toList();
        for (AclEntry acl : matching) {
            String key = acl.resourceType().code() + "/" + acl.resourceName() + "/" + acl.patternType().code();
            resources.computeIfAbsent(key, k -> new DescribeAclsResource().setResourceType(acl.resourceType().code())
                    .setResourceName(acl.resourceName()).setPatternType(acl.patternType().code()))
                    .acls().add(new AclDescription().setPrincipal(acl.principal()).setHost(acl.host())
                            .setOperation(acl.operation().code()).setPermissionType(acl.permission().code()));
        }
        return CompletableFuture.completedFuture(new DescribeAclsResponseData()
                .setResources(new ArrayList<>(resources.values())));
    }
}
