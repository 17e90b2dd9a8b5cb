package io.millrace.server.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** CreateAcls, DescribeAcls and DeleteAcls without an authorizer, without permission, and DescribeAcls' answer. */
class AclHandlersTest {
    private static final AclEntry READ_ORDERS = new AclEntry(ResourceType.TOPIC, "orders", PatternType.LITERAL,
            "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclEntry WRITE_ORDERS = new AclEntry(ResourceType.TOPIC, "orders", PatternType.LITERAL,
            "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW);
    private static final AclEntry GROUPS = new AclEntry(ResourceType.GROUP, "app-", PatternType.PREFIXED,
            "User:bob", "*", AclOperation.READ, AclPermissionType.DENY);

    private static final MetadataView VIEW = new MetadataView() {
        private final MetadataImage image = new MetadataImage(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, 0,
                Map.of(), Map.of(new Uuid(1, 1), WRITE_ORDERS, new Uuid(1, 2), GROUPS, new Uuid(1, 3), READ_ORDERS));

        @Override
        public MetadataImage image() {
            return image;
        }

        @Override
        public CompletableFuture<Void> register(MetadataListener listener) {
            throw new UnsupportedOperationException();
        }
    };

    /** An authorizer that allows only DESCRIBE on the cluster. */
    private static final Authorization DESCRIBE_ONLY = new Authorization() {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean allows(AclOperation operation, ResourceType type, String name) {
            return type == ResourceType.CLUSTER && operation == AclOperation.DESCRIBE;
        }

        @Override
        public boolean allowsQuietly(AclOperation operation, ResourceType type, String name) {
            return allows(operation, type, name);
        }

        @Override
        public boolean allowsAnyOfType(AclOperation operation, ResourceType type) {
            return false;
        }
    };

    private static RequestContext context(ApiKeys api, Authorization authorization) {
        return new RequestContext(new RequestHeader(api, api.latestVersion(), "test", 1), InetAddress.getLoopbackAddress(),
                "PLAINTEXT", 1, "User:alice", authorization);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(CompletionException.class, future::join).getCause();
    }

    @Test
    void withoutAnAuthorizerTheAclApisAnswerSecurityDisabled() {
        assertInstanceOf(SecurityDisabledException.class, failure(new CreateAclsHandler(null)
                .handle(context(ApiKeys.CREATE_ACLS, Authorization.NONE), new CreateAclsRequestData())));
        assertInstanceOf(SecurityDisabledException.class, failure(new DescribeAclsHandler(VIEW)
                .handle(context(ApiKeys.DESCRIBE_ACLS, Authorization.NONE), new DescribeAclsRequestData())));
        assertInstanceOf(SecurityDisabledException.class, failure(new DeleteAclsHandler(null)
                .handle(context(ApiKeys.DELETE_ACLS, Authorization.NONE), new DeleteAclsRequestData())));
    }

    @Test
    void creatingAndDeletingNeedAlterOnTheCluster() {
        assertInstanceOf(ClusterAuthorizationException.class, failure(new CreateAclsHandler(null)
                .handle(context(ApiKeys.CREATE_ACLS, DESCRIBE_ONLY), new CreateAclsRequestData())));
        assertInstanceOf(ClusterAuthorizationException.class, failure(new DeleteAclsHandler(null)
                .handle(context(ApiKeys.DELETE_ACLS, DESCRIBE_ONLY), new DeleteAclsRequestData())));
    }

    @Test
    void describeGroupsTheMatchingAclsByResourcePattern() {
        DescribeAclsRequestData request = new DescribeAclsRequestData().setResourceTypeFilter(ResourceType.ANY.code())
                .setResourceNameFilter(null).setPatternTypeFilter(PatternType.ANY.code()).setPrincipalFilter(null)
                .setHostFilter(null).setOperation(AclOperation.ANY.code()).setPermissionType(AclPermissionType.ANY.code());
        DescribeAclsResponseData all = new DescribeAclsHandler(VIEW).handle(context(ApiKeys.DESCRIBE_ACLS, DESCRIBE_ONLY),
                request).join();
        assertEquals(2, all.resources().size());
        DescribeAclsResponseData.DescribeAclsResource orders = all.resources().stream()
                .filter(r -> r.resourceName().equals("orders")).findFirst().orElseThrow();
        assertEquals(List.of(AclOperation.READ.code(), AclOperation.WRITE.code()),
                orders.acls().stream().map(DescribeAclsResponseData.AclDescription::operation).toList());
        DescribeAclsResponseData matching = new DescribeAclsHandler(VIEW).handle(context(ApiKeys.DESCRIBE_ACLS,
                DESCRIBE_ONLY), request.duplicate().setResourceTypeFilter(ResourceType.GROUP.code())
                .setResourceNameFilter("app-1").setPatternTypeFilter(PatternType.MATCH.code())).join();
        assertEquals(List.of("app-"), matching.resources().stream().map(DescribeAclsResponseData.DescribeAclsResource::resourceName)
                .toList());
        DescribeAclsResponseData unknown = new DescribeAclsHandler(VIEW).handle(context(ApiKeys.DESCRIBE_ACLS,
                DESCRIBE_ONLY), request.duplicate().setOperation((byte) 100)).join();
        assertEquals(org.apache.kafka.common.protocol.Errors.INVALID_REQUEST.code(), unknown.errorCode());
    }
}
