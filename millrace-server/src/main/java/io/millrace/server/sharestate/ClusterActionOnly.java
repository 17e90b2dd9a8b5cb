package io.millrace.server.sharestate;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * A share-state API (InitializeShareGroupState, ReadShareGroupState, WriteShareGroupState,
 * DeleteShareGroupState, ReadShareGroupStateSummary: what partition leaders ask the share
 * coordinator) served only to a principal allowed CLUSTER_ACTION on the cluster, as in Kafka:
 * brokers as the inter-broker listener's principal; anyone else is answered
 * CLUSTER_AUTHORIZATION_FAILED. Wraps the handler that does the work. Stateless.
 *
 * @param <Q> the request data class
 */
public final class ClusterActionOnly<Q extends ApiMessage> implements ApiHandler<Q> {
    private final ApiHandler<Q> handler;

    public ClusterActionOnly(ApiHandler<Q> handler) {
        this.handler = handler;
    }

    @Override
    public ApiKeys apiKey() {
        return handler.apiKey();
    }

    @Override
    public short minVersion() {
        return handler.minVersion();
    }

    @Override
    public short maxVersion() {
        return handler.maxVersion();
    }

    @Override
    public CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request) {
        if (!context.authorization().allowsCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        return handler.handle(context, request);
    }
}
