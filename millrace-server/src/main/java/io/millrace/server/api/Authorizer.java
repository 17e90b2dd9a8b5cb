package io.millrace.server.api;

import java.net.InetAddress;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Makes the {@link Authorization} of each request; {@link #NONE} when no authorizer is
 * configured. Thread-safe.
 */
@FunctionalInterface
public interface Authorizer {

    /** No authorizer: every request gets {@link Authorization#NONE}. */
    Authorizer NONE = (principal, clientAddress, api) -> Authorization.NONE;

    /**
     * @param principal     the connection's principal, e.g. {@code User:alice}
     * @param clientAddress the client's address, matched against the ACLs' hosts
     * @param api           the request's API, named in the authorizer's log
     */
    Authorization authorization(String principal, InetAddress clientAddress, ApiKeys api);
}
