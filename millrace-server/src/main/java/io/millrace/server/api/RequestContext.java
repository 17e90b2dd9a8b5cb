package io.millrace.server.api;

import java.net.InetAddress;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Who sent a request and how.
 *
 * @param header        the parsed request header (api key, version, correlation id, client id)
 * @param clientAddress the peer's address
 * @param listenerName  the listener the connection arrived on
 * @param connectionId  unique per connection within this broker process
 * @param principal     who the connection authenticated as ("User:NAME"; User:ANONYMOUS when it
 *                      did not, e.g. on a PLAINTEXT listener or TLS without a client certificate)
 * @param authorization what that principal may do ({@link Authorization#NONE} without an authorizer)
 */
public record RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName,
                             long connectionId, String principal, Authorization authorization) {
    public static final String ANONYMOUS = "User:ANONYMOUS";

    /** A context of a request that nothing authorizes. */
    public RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName, long connectionId,
                          String principal) {
        this(header, clientAddress, listenerName, connectionId, principal, Authorization.NONE);
    }

    /** A context of an unauthenticated connection. */
    public RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName, long connectionId) {
        this(header, clientAddress, listenerName, connectionId, ANONYMOUS);
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
