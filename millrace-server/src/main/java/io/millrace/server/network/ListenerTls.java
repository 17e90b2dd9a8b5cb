package io.millrace.server.network;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The TLS side of one SSL listener: makes the server engine of each connection and names the
 * principal of a finished handshake. Implementations are thread-safe (every connection's thread
 * calls them).
 */
public interface ListenerTls {

    /** A server-mode engine for a connection from {@code peer}, with the listener's client authentication. */
    SSLEngine newServerEngine(InetSocketAddress peer);

    /**
     * The principal of a connection whose handshake finished: "User:" and the mapped
     * distinguished name of the client certificate, or User:ANONYMOUS without one.
     *
     * @throws SSLException when no principal mapping rule applies to the certificate's name
     */
    String principal(SSLSession session) throws SSLException;
}
