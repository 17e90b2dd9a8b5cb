package io.millrace.server.handlers;

import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeTransactions: each transactional id from the shard that coordinates it; needs DESCRIBE on
 * the id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and leaves out topics the principal may not
 * describe. Thread-safe; holds no state.
 */
public final class DescribeTransactionsHandler implements ApiHandler<DescribeTransactionsRequestData> {
    private final TransactionCoordinatorService coordinator;

    public DescribeTransactionsHandler(TransactionCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<DescribeTransactionsResponseData> handle(RequestContext context,
                                                                      DescribeTransactionsRequestData request) {
        Authorization authorization = context.authorization();
        List<CompletableFuture<TransactionState>> futures = request.transactionalIds().stream()
                .map(id -> authorization.allowsTransactionalId(AclOperation.DESCRIBE, id)
                        ? coordinator.describe(id).thenApply(state -> withDescribableTopics(authorization, state))
                        : CompletableFuture.completedFuture(new TransactionState().setTransactionalId(id)
                        .setTransactionState("").setProducerId(-1).setProducerEpoch((short) -1)
                        .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())))
                .toList();
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
            futures.forEach(f -> response.transactionStates().add(f.join()));
            return response;
        });
    }

    /** Leaves out the topics the principal may not describe, as Kafka does. */
    private static TransactionState withDescribableTopics(Authorization authorization, TransactionState state) {
        if (authorization.enabled()) {
            state.topics().removeIf(t -> !authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.TOPIC, t.topic()));
        }
        return state;
    }
}
