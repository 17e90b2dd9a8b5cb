package io.millrace.server.security;

import io.millrace.server.replication.ClientSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The security of this broker's connections to other brokers, replaced when the inter-broker
 * listener's key store or trust store is altered at runtime: each new connection uses the one in
 * force when it is opened. Thread-safe (a volatile reference).
 */
public final class ReloadableClientSecurity implements ClientSecurity {
    private volatile ClientSecurity current;

    public ReloadableClientSecurity(ClientSecurity initial) {
        this.current = initial;
    }

    void replace(ClientSecurity next) {
        current = next;
    }

    @Override
    public Socket secure(Socket connected, InetSocketAddress address, int timeoutMs) throws IOException {
        return current.secure(connected, address, timeoutMs);
    }
}
