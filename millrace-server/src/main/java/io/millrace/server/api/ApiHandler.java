package io.millrace.server.api;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Serves one Kafka API key. Handlers translate between the generated message classes and the
 * subsystem that does the work; they hold no business logic of their own.
 *
 * <p>Thread-safety: {@link #handle} is called from many connection threads at once.
 *
 * @param <Q> the generated request data class, e.g. {@code ProduceRequestData}
 */
public interface ApiHandler<Q extends ApiMessage> {

    ApiKeys apiKey();

    /** Lowest version served; defaults to the pinned kafka-clients' oldest. */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /** Highest version served; defaults to the pinned kafka-clients' latest stable version. */
    default short maxVersion() {
        return apiKey().latestVersion(false);
    }

    /**
     * Handles one request. Completes with the response data, or with {@code null} when no
     * response must be sent (Produce with acks=0). A failed future, or an exception thrown here,
     * is answered with the API's error response for that exception (never a closed connection).
     */
    CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request);
}
