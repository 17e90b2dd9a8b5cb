package io.millrace.server.security;

import io.millrace.server.network.ListenerTls;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The TLS of one SSL listener whose key store and trust store may be replaced while the broker
 * runs: each new connection takes the {@link ServerTls} in force when it is accepted, and keeps
 * it; connections already open carry on with theirs. Thread-safe (a volatile reference).
 */
public final class ReloadableListenerTls implements ListenerTls {
    private volatile ServerTls current;

    ReloadableListenerTls(ServerTls initial) {
        this.current = initial;
    }

    ServerTls current() {
        return current;
    }

    void replace(ServerTls next) {
        current = next;
    }

    @Override
    public SSLEngine newServerEngine(InetSocketAddress peer) {
        return current.newServerEngine(peer);
    }

    @Override
    public String principal(SSLSession session) throws SSLException {
        return current.principal(session);
    }
}
