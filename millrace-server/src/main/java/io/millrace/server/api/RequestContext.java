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
 */
public record RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName,
                             long connectionId) {

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
