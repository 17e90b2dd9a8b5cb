package io.millrace.server.network;

import javax.security.sasl.SaslException;

/**
 * The server side of one connection's SASL exchange: one token from the client in, one token
 * back, until {@link #complete()}. PLAIN takes one round, SCRAM two. Not thread-safe: owned by
 * the connection's thread.
 */
public interface SaslExchange {

    /**
     * Takes the client's next token.
     *
     * @return the token to send back (empty for none)
     * @throws SaslException with a message for the client when the credentials are wrong or the token malformed
     */
    byte[] evaluate(byte[] token) throws SaslException;

    /** Whether the client has authenticated (its last token was accepted and no more are expected). */
    boolean complete();

    /** The authenticated principal, "User:NAME", once {@link #complete()}. */
    String principal();

    /**
     * Once {@link #complete()}: how long the credential stays valid (an OAUTHBEARER token's
     * expiry), which bounds the session (KIP-368); -1 when it does not expire.
     */
    default long credentialLifetimeMs() {
        return -1;
    }
}
