package io.millrace.server.handlers;

import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListTransactions of every {@code __transaction_state} partition this node coordinates, filtered
 * by state, producer id, (v1+) running time and (v2+, KIP-1152) a transactional id pattern.
 * Without DESCRIBE on the cluster, only the ids the principal may DESCRIBE. Thread-safe; holds no state.
 */
public final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequestData> {
    private final TransactionCoordinatorService coordinator;

    public ListTransactionsHandler(TransactionCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ListTransactionsResponseData> handle(RequestContext context,
                                                                  ListTransactionsRequestData request) {
        long duration = context.apiVersion() >= 1 ? request.durationFilter() : -1;
        String pattern = context.apiVersion() >= 2 ? request.transactionalIdPattern() : null;
        Authorization authorization = context.authorization();
        boolean all = authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.CLUSTER, Authorization.CLUSTER);
        return coordinator.list(request.stateFilters(), request.producerIdFilters(), duration, pattern).thenApply(r -> {
            if (!all) {
                r.transactionStates().removeIf(t -> !authorization.allowsQuietly(AclOperation.DESCRIBE,
                        ResourceType.TRANSACTIONAL_ID, t.transactionalId()));
            }
            return r;
        });
    }
}
