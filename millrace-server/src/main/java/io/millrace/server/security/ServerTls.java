package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.Endpoint;
import io.millrace.server.network.ListenerTls;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * The TLS of one SSL listener: its SSLContext (key store, trust store), enabled protocols and
 * cipher suites, {@code ssl.client.auth} and {@code ssl.principal.mapping.rules}. Built at
 * start-up, where every setting is checked, and again when a key store or trust store is altered
 * at runtime ({@link ListenerTlsUpdates}); immutable and thread-safe.
 */
public final class ServerTls implements ListenerTls {
    private final SSLContext context;
    private final String clientAuth;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final SslPrincipalMapper principalMapper;
    private final KeyStore keyStore;
    private final KeyStore trustStore;

    private ServerTls(SslContextFactory.Built built, String clientAuth, String[] protocols, String[] cipherSuites,
                      SslPrincipalMapper principalMapper) {
        this.context = built.context();
        this.keyStore = built.keyStore();
        this.trustStore = built.trustStore();
        this.clientAuth = clientAuth;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.principalMapper = principalMapper;
    }

    /**
     * The TLS of each listener of {@code listeners} whose security protocol is SSL or SASL_SSL, by
     * name, each a {@link ReloadableListenerTls}.
     *
     * @throws ConfigException naming the key of the first setting that cannot be used (a missing
     *                         or unreadable key store, a wrong password, an unknown protocol ...)
     */
    public static Map<String, ReloadableListenerTls> forListeners(BrokerConfig config, List<Endpoint> listeners) {
        Map<String, ReloadableListenerTls> tls = new LinkedHashMap<>();
        for (Endpoint listener : listeners) {
            String protocol = config.securityProtocol(listener.listenerName());
            if (protocol.equals("SSL") || protocol.equals("SASL_SSL")) {
                ServerTls initial = of(SslSettings.of(config, listener.listenerName()));
                tls.put(listener.listenerName(), new ReloadableListenerTls(initial));
            }
        }
        return Map.copyOf(tls);
    }

    static ServerTls of(SslSettings settings) {
        SslContextFactory.Built context = SslContextFactory.buildWithStores(settings, true);
        String[] protocols = settings.list(SslSettings.ENABLED_PROTOCOLS).toArray(String[]::new);
        String[] suites = settings.list(SslSettings.CIPHER_SUITES).toArray(String[]::new);
        SslPrincipalMapper mapper = SslPrincipalMapper.parse(settings.source(SslSettings.PRINCIPAL_MAPPING_RULES),
                settings.string(SslSettings.PRINCIPAL_MAPPING_RULES));
        ServerTls tls = new ServerTls(context, settings.string(SslSettings.CLIENT_AUTH), protocols, suites, mapper);
        try {
            tls.newServerEngine(null);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage() != null && e.getMessage().toLowerCase().contains("cipher")
                    ? SslSettings.CIPHER_SUITES : SslSettings.ENABLED_PROTOCOLS;
            throw new ConfigException("Cannot use " + settings.source(key) + " for listener "
                    + settings.listenerName() + ": " + e.getMessage());
        }
        return tls;
    }

    /** The key store this listener presents its certificate from. */
    KeyStore keyStore() {
        return keyStore;
    }

    /** The trust store that verifies clients; null for the JVM's default trust. */
    KeyStore trustStore() {
        return trustStore;
    }

    /** A client-mode engine with this listener's trust and key stores (to check an update against). */
    SSLEngine newClientEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        if (protocols.length > 0) {
            engine.setEnabledProtocols(protocols);
        }
        if (cipherSuites.length > 0) {
            engine.setEnabledCipherSuites(cipherSuites);
        }
        return engine;
    }

    @Override
    public SSLEngine newServerEngine(InetSocketAddress peer) {
        SSLEngine engine = peer == null ? context.createSSLEngine()
                : context.createSSLEngine(peer.getHostString(), peer.getPort());
        engine.setUseClientMode(false);
        if (protocols.length > 0) {
            engine.setEnabledProtocols(protocols);
        }
        if (cipherSuites.length > 0) {
            engine.setEnabledCipherSuites(cipherSuites);
        }
        switch (clientAuth) {
            case "required" -> engine.setNeedClientAuth(true);
            case "requested" -> engine.setWantClientAuth(true);
            default -> engine.setWantClientAuth(false);
        }
        return engine;
    }

    @Override
    public String principal(SSLSession session) throws SSLException {
        Principal peer;
        try {
            peer = session.getPeerPrincipal();
        } catch (SSLPeerUnverifiedException e) {
            return "User:ANONYMOUS";
        }
        String name = peer instanceof X500Principal x500 ? x500.getName(X500Principal.RFC2253) : peer.getName();
        String mapped = principalMapper.map(name);
        if (mapped == null) {
            throw new SSLException("no rule of ssl.principal.mapping.rules (" + principalMapper + ") applies to " + name);
        }
        return "User:" + mapped;
    }
}
