package io.millrace.server.network;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorizer;
import io.millrace.server.api.ClientThrottle;
import io.millrace.server.api.RequestContext;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request frame into its response: parses the header and the body with the generated
 * classes, calls the API's handler, waits for it, and maps a failure to the API's own error
 * response. Does no socket I/O.
 *
 * <p>Thread-safe and stateless: every connection thread calls it.
 */
final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
    private static final int THROTTLE_NONE = 0;

    private final HandlerRegistry registry;
    private final Authorizer authorizer;
    /** Client quotas; set once before the server starts. */
    private volatile ClientThrottle throttle = ClientThrottle.NONE;
    /** Request metrics; set once before the server starts. */
    private volatile RequestObserver observer = RequestObserver.NONE;

    RequestDispatcher(HandlerRegistry registry, Authorizer authorizer) {
        this.registry = registry;
        this.authorizer = authorizer;
    }

    void throttleWith(ClientThrottle clientThrottle) {
        this.throttle = clientThrottle;
    }

    void observeWith(RequestObserver requestObserver) {
        this.observer = requestObserver;
    }

    /**
     * The result of one request.
     *
     * @param apiKey     the API that was called
     * @param response   the frame to send, or null when none is due (Produce with acks=0)
     * @param throttleMs how long the connection must read nothing after sending it (client quotas), 0 for none
     */
    record Outcome(ApiKeys apiKey, ResponseBytes response, int throttleMs) {
        Outcome(ApiKeys apiKey, ResponseBytes response) {
            this(apiKey, response, 0);
        }
    }

    /**
     * Serves the request in {@code frame} (position 0 to its size).
     *
     * @throws RejectedRequestException when the frame is not a request this broker can serve, or
     *                                  when a failure cannot be told to the client; the connection
     *                                  must be closed
     * @throws InterruptedException     when the server is closing
     */
    Outcome dispatch(ByteBuffer frame, ConnectionInfo connection, InFlightRequest inFlight)
            throws RejectedRequestException, InterruptedException {
        long arrival = System.nanoTime();
        int requestBytes = frame.remaining();
        RequestHeader header = parseHeader(frame);
        ApiKeys apiKey = header.apiKey();
        short version = header.apiVersion();
        ApiVersionRange served = registry.range(apiKey);
        if (served == null) {
            throw new RejectedRequestException(apiKey.name + " (API key " + apiKey.id
                    + ") is not served by this broker");
        }
        AbstractRequest request;
        short responseVersion;
        if (served.contains(version)) {
            request = parseBody(apiKey, version, frame);
            responseVersion = version;
        } else if (apiKey == ApiKeys.API_VERSIONS && version > served.maxVersion()) {
            // KIP-511: the body of a newer ApiVersions cannot be read, but the client must still
            // learn our versions. It gets a v0 response (header v0 too), which every client reads.
            request = parseBody(apiKey, (short) 0, ByteBuffer.allocate(0));
            responseVersion = 0;
        } else {
            throw new RejectedRequestException(apiKey.name + " v" + version + " is not supported; this broker serves v"
                    + served.minVersion() + " to v" + served.maxVersion());
        }
        RequestContext context = new RequestContext(header, connection.peer().getAddress(),
                connection.listenerName(), connection.id(), connection.principal(),
                authorizer.authorization(connection.principal(), connection.peer().getAddress(), apiKey));
        ApiMessage response = null;
        long threadNanos = 0;
        Throwable failure;
        long begin = System.nanoTime();
        try {
            CompletableFuture<? extends ApiMessage> future = start(registry.handler(apiKey), context, request.data());
            threadNanos = System.nanoTime() - begin;
            response = await(future, inFlight);
            failure = checkResponse(apiKey, response);
        } catch (InterruptedException e) {
            throw e;
        } catch (ExecutionException | CompletionException | CancellationException e) {
            failure = unwrap(e);
        } catch (Exception e) {
            // includes checked exceptions a handler may throw sneakily
            failure = e;
        }
        if (failure == null && response == null) {
            if (!isAcksZeroProduce(request)) {
                log.warn("The {} handler gave no response to {} v{} from client '{}' ({}); the client will time out",
                        apiKey.name, apiKey.name, version, header.clientId(), connection);
            }
            observer.served(apiKey, begin - arrival, System.nanoTime() - arrival, null, null);
            return new Outcome(apiKey, null, throttle.throttleMs(context, request.data(), requestBytes, 0, threadNanos));
        }
        if (failure == null) {
            try {
                long serializing = System.nanoTime();
                ResponseBytes bytes = ResponseWriter.serialize(header.correlationId(),
                        apiKey.responseHeaderVersion(responseVersion), response, responseVersion);
                threadNanos += System.nanoTime() - serializing;
                observer.served(apiKey, begin - arrival, System.nanoTime() - arrival, response, null);
                return throttled(context, request, requestBytes, response, bytes, threadNanos, responseVersion);
            } catch (RuntimeException e) {
                // e.g. the handler set a field that this version of the response cannot carry
                failure = e;
            }
        }
        observer.served(apiKey, begin - arrival, System.nanoTime() - arrival, null, failure);
        return errorOutcome(header, request, responseVersion, failure, connection);
    }

    static RequestHeader parseHeader(ByteBuffer frame) throws RejectedRequestException {
        if (frame.remaining() < 2 * Short.BYTES) {
            throw new RejectedRequestException("a request of " + frame.remaining()
                    + " bytes is too short to hold a request header");
        }
        short apiKeyId = frame.getShort(frame.position());
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new RejectedRequestException("unknown API key " + apiKeyId);
        }
        try {
            return RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            throw new RejectedRequestException("the request header of " + ApiKeys.forId(apiKeyId).name
                    + " is malformed (" + rootMessage(e) + ")");
        }
    }

    static AbstractRequest parseBody(ApiKeys apiKey, short version, ByteBuffer body)
            throws RejectedRequestException {
        try {
            return AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(body)).request;
        } catch (RuntimeException e) {
            throw new RejectedRequestException("the body of " + apiKey.name + " v" + version
                    + " is malformed (" + rootMessage(e) + ")");
        }
    }

    /**
     * The outcome of a response served: client quotas record what the request cost; over a quota
     * (or when the handler set a throttle time itself, KIP-599) the response carries the longer
     * throttle time and the connection is muted for it.
     */
    private Outcome throttled(RequestContext context, AbstractRequest request, int requestBytes, ApiMessage response,
                              ResponseBytes bytes, long threadNanos, short version) {
        int set = ThrottleTimes.get(response);
        int earned = throttle.throttleMs(context, request.data(), requestBytes, bytes.size(), threadNanos);
        if (earned <= set) {
            return new Outcome(context.header().apiKey(), bytes, set);
        }
        if (!ThrottleTimes.set(response, earned)) {
            return new Outcome(context.header().apiKey(), bytes, earned);
        }
        return new Outcome(context.header().apiKey(), ResponseWriter.serialize(context.header().correlationId(),
                context.header().apiKey().responseHeaderVersion(version), response, version), earned);
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<? extends ApiMessage> start(ApiHandler<?> handler, RequestContext context,
                                                                 ApiMessage data) {
        CompletableFuture<? extends ApiMessage> future =
                ((ApiHandler<ApiMessage>) handler).handle(context, data);
        if (future == null) {
            throw new IllegalStateException(handler.getClass().getSimpleName() + " returned no future");
        }
        return future;
    }

    private static ApiMessage await(CompletableFuture<? extends ApiMessage> future, InFlightRequest inFlight)
            throws InterruptedException, ExecutionException {
        inFlight.set(future);
        try {
            return future.get();
        } finally {
            inFlight.clear();
        }
    }

    private static Throwable checkResponse(ApiKeys apiKey, ApiMessage response) {
        if (response != null && response.apiKey() != apiKey.id) {
            return new IllegalStateException("the handler answered " + response.getClass().getSimpleName()
                    + " to " + apiKey.name);
        }
        return null;
    }

    private static Outcome errorOutcome(RequestHeader header, AbstractRequest request, short responseVersion,
                                        Throwable failure, ConnectionInfo connection)
            throws RejectedRequestException {
        ApiKeys apiKey = header.apiKey();
        if (failure instanceof ApiException) {
            log.debug("{} v{} from {} failed: {}", apiKey.name, header.apiVersion(), connection, failure.toString());
        } else {
            log.warn("{} v{} from client '{}' ({}) failed unexpectedly, answering {}: {}", apiKey.name,
                    header.apiVersion(), header.clientId(), connection, Errors.forException(failure), failure.toString());
            log.debug("Stack trace of the {} failure", apiKey.name, failure);
        }
        if (isAcksZeroProduce(request)) {
            // Such a producer reads no response: closing is the only way to tell it (as Kafka does).
            throw new RejectedRequestException("Produce with acks=0 failed (" + Errors.forException(failure)
                    + ") and has no response to carry the error");
        }
        try {
            ApiMessage errorResponse = request.getErrorResponse(THROTTLE_NONE, failure).data();
            return new Outcome(apiKey, ResponseWriter.serialize(header.correlationId(),
                    apiKey.responseHeaderVersion(responseVersion), errorResponse, responseVersion));
        } catch (RuntimeException e) {
            throw new RejectedRequestException("no error response could be built for " + apiKey.name
                    + " v" + header.apiVersion() + " (" + rootMessage(e) + ")");
        }
    }

    private static boolean isAcksZeroProduce(AbstractRequest request) {
        return request.data() instanceof ProduceRequestData produce && produce.acks() == 0;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
