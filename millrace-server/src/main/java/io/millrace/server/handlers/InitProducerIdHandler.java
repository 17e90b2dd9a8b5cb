package io.millrace.server.handlers;

import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.producer.ProducerIdAllocator;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * InitProducerId. Idempotent producers: a fresh producer id at epoch 0 each time (also when the
 * client asks to bump after an error). Transactional ids go to the transaction coordinator when
 * transactions are served ({@code TransactionSurfaces}); otherwise they get UNSUPPORTED_VERSION,
 * a permanent answer, rather than a retriable code that would make the producer spin.
 * Authorization as Kafka's: see {@link #authorizationError}.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {
    private final ProducerIdAllocator allocator;
    private final TransactionCoordinatorService transactions;

    /** @param transactions the transaction coordinator, or null when transactions are not served */
    public InitProducerIdHandler(ProducerIdAllocator allocator, TransactionCoordinatorService transactions) {
        this.allocator = allocator;
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestContext context,
                                                                InitProducerIdRequestData request) {
        Errors denied = authorizationError(context.authorization(), request.transactionalId());
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData().setErrorCode(denied.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        if (request.transactionalId() != null && transactions != null) {
            return transactions.initProducerId(request.transactionalId(), request.transactionTimeoutMs(),
                    request.producerId(), request.producerEpoch()).thenApply(t -> new InitProducerIdResponseData()
                    .setErrorCode(t.error().code()).setProducerId(t.producerId()).setProducerEpoch(t.producerEpoch()));
        }
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        return allocator.nextProducerId().thenApply(id -> new InitProducerIdResponseData()
                .setProducerId(id).setProducerEpoch((short) 0));
    }

    /**
     * As Kafka: a transactional id needs WRITE on it; an idempotent producer needs IDEMPOTENT_WRITE
     * on the cluster or WRITE on some topic (KIP-679).
     */
    private static Errors authorizationError(Authorization authorization, String transactionalId) {
        if (transactionalId != null) {
            return authorization.allowsTransactionalId(AclOperation.WRITE, transactionalId) ? Errors.NONE
                    : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        boolean allowed = authorization.allowsQuietly(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER,
                Authorization.CLUSTER) || authorization.allowsAnyOfType(AclOperation.WRITE, ResourceType.TOPIC);
        return allowed ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }
}
