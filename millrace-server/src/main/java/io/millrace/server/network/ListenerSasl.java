package io.millrace.server.network;

import java.util.List;
import javax.security.sasl.SaslException;

/**
 * The SASL side of one SASL_PLAINTEXT or SASL_SSL listener: its enabled mechanisms and the
 * check of a client's token. Only single-round mechanisms (PLAIN) so far. Implementations are
 * thread-safe (every connection's thread calls them).
 */
public interface ListenerSasl {

    /** sasl.enabled.mechanisms of the listener, e.g. [PLAIN]. */
    List<String> enabledMechanisms();

    /**
     * Checks the client's token for {@code mechanism} (one of {@link #enabledMechanisms()}).
     *
     * @return the principal, "User:NAME"
     * @throws SaslException with a message for the client when the credentials are wrong or the token malformed
     */
    String authenticate(String mechanism, byte[] token) throws SaslException;
}
