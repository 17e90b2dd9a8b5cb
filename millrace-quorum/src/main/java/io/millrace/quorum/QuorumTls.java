package io.millrace.quorum;

import java.util.Objects;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the metadata quorum's gRPC traffic (Raft between voters, and the clients that reach
 * the leader), always mutual: each node presents the certificate of {@code keyManager} and
 * accepts only peers whose certificate {@code trustManager} trusts; a client also checks that the
 * certificate names the host it dialled (the host in {@code controller.quorum.voters}). The
 * server module builds it from the controller listener's {@code ssl.*} settings. Immutable.
 */
public record QuorumTls(X509KeyManager keyManager, X509TrustManager trustManager) {
    public QuorumTls {
        Objects.requireNonNull(keyManager, "keyManager");
        Objects.requireNonNull(trustManager, "trustManager");
    }
}
