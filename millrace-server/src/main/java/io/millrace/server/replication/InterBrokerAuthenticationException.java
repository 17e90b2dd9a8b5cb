package io.millrace.server.replication;

import java.io.IOException;

/**
 * This broker could not authenticate to another broker (wrong credentials, a mechanism the other
 * does not enable). The {@link ClientSecurity} that throws it has already logged it, once per
 * broker until an authentication succeeds again, so callers need not log it again.
 */
public final class InterBrokerAuthenticationException extends IOException {
    public InterBrokerAuthenticationException(String message) {
        super(message);
    }
}
