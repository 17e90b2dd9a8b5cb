package io.millrace.server.handlers;

import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ListTransactions of every {@code __transaction_state} partition this node coordinates, filtered
 * by state, producer id and (v1+) running time. Thread-safe; holds no state.
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
        return coordinator.list(request.stateFilters(), request.producerIdFilters(), duration);
    }
}
