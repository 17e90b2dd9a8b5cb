package io.millrace.server.replication;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * How this broker secures a connection it opens to another broker's inter-broker listener:
 * {@link #PLAINTEXT}, TLS (millrace-server's {@code security.ClientTls}), and SASL authentication
 * over either ({@code security.ClientSasl}). Thread-safe.
 */
@FunctionalInterface
public interface ClientSecurity {
    ClientSecurity PLAINTEXT = (socket, address, timeoutMs) -> socket;

    /**
     * The socket to speak the Kafka protocol on, over {@code connected}: the same socket, or a
     * TLS socket layered on it whose handshake finished within {@code timeoutMs}.
     *
     * @throws IOException when the handshake fails (the caller closes {@code connected})
     */
    Socket secure(Socket connected, InetSocketAddress address, int timeoutMs) throws IOException;

    /**
     * Authenticates {@code connection}, just opened over {@link #secure} and past ApiVersions,
     * before any other request, or again when its session is due to end; nothing to do unless the
     * inter-broker listener uses SASL.
     *
     * @return the session's lifetime in ms as the other broker told it (KIP-368), 0 for no end
     * @throws IOException when authentication fails (with a message saying why) or the connection breaks
     */
    default long authenticate(NodeConnection connection, int timeoutMs) throws IOException {
        return 0;
    }
}
