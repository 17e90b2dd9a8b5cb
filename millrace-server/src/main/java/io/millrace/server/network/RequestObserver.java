package io.millrace.server.network;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Told of every request served (request metrics). Called on the connection's thread once the
 * response is built, before it is sent: implementations must be thread-safe and cheap.
 */
public interface RequestObserver {

    /**
     * @param apiKey     the API
     * @param queueNanos from the request's last byte read until its handler started (parsing, authorization)
     * @param totalNanos from the request's last byte read until its response was built
     * @param response   the handler's response; null when it failed or when none is due (acks=0)
     * @param failure    why the handler failed (the response is then the API's error response), else null
     */
    void served(ApiKeys apiKey, long queueNanos, long totalNanos, ApiMessage response, Throwable failure);

    /** Observes nothing. */
    RequestObserver NONE = (apiKey, queueNanos, totalNanos, response, failure) -> { };
}
