package io.millrace.server.network;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of one connection; its {@code toString} is written for log lines.
 *
 * @param principal {@link #ANONYMOUS} until TLS names the client (its certificate's mapped name)
 */
record ConnectionInfo(long id, String listenerName, InetSocketAddress peer, String principal) {
    static final String ANONYMOUS = io.millrace.server.api.RequestContext.ANONYMOUS;

    ConnectionInfo(long id, String listenerName, InetSocketAddress peer) {
        this(id, listenerName, peer, ANONYMOUS);
    }

    ConnectionInfo withPrincipal(String authenticated) {
        return new ConnectionInfo(id, listenerName, peer, authenticated);
    }

    @Override
    public String toString() {
        String who = principal.equals(ANONYMOUS) ? "" : " (" + principal + ")";
        return "connection " + id + " from " + peer + who + " on listener " + listenerName;
    }
}
