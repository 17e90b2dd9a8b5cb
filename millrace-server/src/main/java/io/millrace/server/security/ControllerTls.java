package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.quorum.QuorumTls;
import java.util.List;

/**
 * TLS of the metadata quorum: when the controller listener ({@code controller.listener.names},
 * the first) is SSL, the Raft traffic between nodes runs mutual TLS with that listener's key
 * store and trust store ({@code listener.name.controller.ssl.*}, else {@code ssl.*}). Stateless.
 */
public final class ControllerTls {
    private ControllerTls() {
    }

    /**
     * The quorum's TLS, or null when the controller listener is PLAINTEXT.
     *
     * @throws io.millrace.common.config.ConfigException naming the key when a store cannot be used
     */
    public static QuorumTls forQuorum(BrokerConfig config) {
        List<String> names = config.controllerListenerNames();
        if (names.isEmpty() || !config.securityProtocol(names.get(0)).equals("SSL")) {
            return null;
        }
        SslContextFactory.X509Managers managers = SslContextFactory.x509Managers(SslSettings.of(config, names.get(0)));
        return new QuorumTls(managers.keyManager(), managers.trustManager());
    }
}
