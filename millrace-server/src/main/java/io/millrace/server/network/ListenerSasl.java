package io.millrace.server.network;

import java.util.List;

/**
 * The SASL side of one SASL_PLAINTEXT or SASL_SSL listener: its enabled mechanisms, and a new
 * server-side exchange for each connection that authenticates. Implementations are thread-safe
 * (every connection's thread calls them).
 */
public interface ListenerSasl {

    /** sasl.enabled.mechanisms of the listener, e.g. [PLAIN, SCRAM-SHA-256]. */
    List<String> enabledMechanisms();

    /** A new exchange for {@code mechanism}, one of {@link #enabledMechanisms()}. */
    SaslExchange start(String mechanism);

    /**
     * connections.max.reauth.ms for {@code mechanism} on this listener: how long a session lasts
     * before the client must re-authenticate (KIP-368); 0 for sessions without end.
     */
    default long maxReauthMs(String mechanism) {
        return 0;
    }
}
