package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeClientQuotas: Millrace has no client quotas yet and AlterClientQuotas is not served, so
 * no quota can be set and every filter truthfully matches nothing. Served because
 * {@code kafka-configs.sh --describe --entity-type users} asks for quotas before it lists the
 * users' SCRAM credentials. Stateless.
 */
public final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequestData> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<DescribeClientQuotasResponseData> handle(RequestContext context,
                                                                    DescribeClientQuotasRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.DESCRIBE_CONFIGS)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        return CompletableFuture.completedFuture(new DescribeClientQuotasResponseData().setEntries(List.of()));
    }
}
