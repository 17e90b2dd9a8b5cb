package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareStateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;

/**
 * The per-partition results of one share-state request, in request order, once every partition's
 * operation on the share coordinator has completed. Stateless helper of the share-state handlers.
 */
final class PerPartition {
    /** One partition's operation. */
    record Result(Uuid topicId, int partition, ShareStateResult result) {
    }

    private final List<CompletableFuture<Result>> futures = new ArrayList<>();

    void add(Uuid topicId, int partition, CompletableFuture<ShareStateResult> operation) {
        futures.add(operation.thenApply(r -> new Result(topicId, partition, r)));
    }

    CompletableFuture<List<Result>> all() {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }
}
