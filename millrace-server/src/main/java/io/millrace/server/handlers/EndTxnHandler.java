package io.millrace.server.handlers;

import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * EndTxn v0–5: commit or abort the producer's transaction. v5+ is transaction version 2 (KIP-890
 * part 2): the epoch is bumped and the answer carries the producer id and epoch to use next.
 * Needs WRITE on the transactional id. Thread-safe; holds no state.
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequestData> {
    static final short TRANSACTION_VERSION_2 = 5;
    private final TransactionCoordinatorService coordinator;

    public EndTxnHandler(TransactionCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<EndTxnResponseData> handle(RequestContext context, EndTxnRequestData request) {
        if (!context.authorization().allowsTransactionalId(AclOperation.WRITE, request.transactionalId())) {
            return CompletableFuture.completedFuture(new EndTxnResponseData()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()).setProducerId(-1)
                    .setProducerEpoch((short) -1));
        }
        boolean version2 = context.apiVersion() >= TRANSACTION_VERSION_2;
        return coordinator.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.committed(), version2).thenApply(t -> new EndTxnResponseData().setErrorCode(t.error().code())
                .setProducerId(t.producerId()).setProducerEpoch(t.producerEpoch()));
    }
}
