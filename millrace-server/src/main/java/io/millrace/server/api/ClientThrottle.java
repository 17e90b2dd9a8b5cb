package io.millrace.server.api;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * What the network layer asks client quotas once a request has been served: how long to throttle
 * its connection. The answer goes into the response's {@code throttle_time_ms} and the connection
 * reads nothing more for that long (KIP-219).
 *
 * <p>Thread-safety: called from every connection thread at once.
 */
@FunctionalInterface
public interface ClientThrottle {
    /** No quotas: never throttles. */
    ClientThrottle NONE = (context, request, requestBytes, responseBytes, threadNanos) -> 0;

    /**
     * Records what one request cost its client and returns the throttle time it earned, 0 for none.
     *
     * @param requestBytes  the request's size (header and body)
     * @param responseBytes the response frame's size, 0 when none is sent
     * @param threadNanos   time the connection's thread spent handling it (not waiting)
     */
    int throttleMs(RequestContext context, ApiMessage request, long requestBytes, long responseBytes, long threadNanos);
}
