package io.millrace.quorum;

import io.millrace.metadata.log.MetadataView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Errors;

/**
 * Finds out when this node's image has caught up with the quorum: it asks the leader, as a
 * non-voter's fetch does, for the batches after its record count without waiting, and is caught
 * up when the answer is none. Asks again every {@value #RETRY_MS} ms until then (or until the
 * quorum closes). Holds no thread: each attempt runs on a delayed executor.
 */
final class MetadataCatchUp {
    static final long RETRY_MS = 1_000;

    private MetadataCatchUp() {
    }

    /** Completes with the record count at which the image was found caught up. */
    static CompletableFuture<Long> await(MetadataQuorum quorum, MetadataView view) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        attempt(quorum, view, result);
        return result;
    }

    private static void attempt(MetadataQuorum quorum, MetadataView view, CompletableFuture<Long> result) {
        if (quorum.isClosed()) {
            result.cancel(false);
            return;
        }
        long local = view.image().recordCount();
        quorum.query(QueryMessages.fetch(local, 0)).whenComplete((reply, error) -> {
            if (error == null && reply.error() == Errors.NONE) {
                QueryMessages.FetchResult fetched = QueryMessages.readFetchResult(reply.payload());
                if (!fetched.snapshot() && fetched.batches().isEmpty()) {
                    result.complete(local);
                    return;
                }
            }
            CompletableFuture.delayedExecutor(RETRY_MS, TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(quorum, view, result));
        });
    }
}
