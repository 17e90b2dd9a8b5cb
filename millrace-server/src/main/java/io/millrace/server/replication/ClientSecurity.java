package io.millrace.server.replication;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * How this broker secures a connection it opens to another broker's inter-broker listener:
 * {@link #PLAINTEXT}, or TLS (millrace-server's {@code security.ClientTls}). Thread-safe.
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
}
