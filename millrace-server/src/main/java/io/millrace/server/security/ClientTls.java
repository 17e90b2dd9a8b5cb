package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.server.replication.ClientSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS for the connections this broker opens to other brokers (replica fetchers, transaction
 * markers, transaction verification) when the inter-broker listener is SSL or SASL_SSL, with that listener's
 * settings as Kafka takes them: its trust store verifies the other broker, its key store is this
 * broker's certificate when the other asks for one, and {@code ssl.endpoint.identification.algorithm}
 * (https by default) checks the other broker's host name. Immutable and thread-safe.
 */
public final class ClientTls implements ClientSecurity {
    private final SSLContext context;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final String endpointIdentification;

    private ClientTls(SSLContext context, String[] protocols, String[] cipherSuites, String endpointIdentification) {
        this.context = context;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.endpointIdentification = endpointIdentification;
    }

    /**
     * TLS when {@code config}'s inter-broker listener is SSL or SASL_SSL, else plaintext (see
     * {@link ClientSasl#forInterBroker} for the SASL on top).
     *
     * @throws io.millrace.common.config.ConfigException when its key or trust store cannot be used
     */
    public static ClientSecurity forInterBroker(BrokerConfig config) {
        String listener = config.interBrokerListenerName();
        boolean ssl = config.listeners().stream().anyMatch(e -> e.listenerName().equals(listener))
                && (config.securityProtocol(listener).equals("SSL") || config.securityProtocol(listener).equals("SASL_SSL"));
        if (!ssl) {
            return ClientSecurity.PLAINTEXT;
        }
        return of(SslSettings.of(config, listener));
    }

    /** TLS with {@code settings} (the inter-broker listener's). */
    static ClientTls of(SslSettings settings) {
        String algorithm = settings.nonBlank(SslSettings.ENDPOINT_IDENTIFICATION);
        return new ClientTls(SslContextFactory.build(settings, false),
                settings.list(SslSettings.ENABLED_PROTOCOLS).toArray(String[]::new),
                settings.list(SslSettings.CIPHER_SUITES).toArray(String[]::new),
                algorithm == null ? null : algorithm.toUpperCase(Locale.ROOT));
    }

    @Override
    public Socket secure(Socket connected, InetSocketAddress address, int timeoutMs) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(connected, address.getHostString(),
                address.getPort(), true);
        socket.setUseClientMode(true);
        SSLParameters parameters = socket.getSSLParameters();
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        if (cipherSuites.length > 0) {
            parameters.setCipherSuites(cipherSuites);
        }
        parameters.setEndpointIdentificationAlgorithm(endpointIdentification);
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(Math.max(1, timeoutMs));
        socket.startHandshake();
        return socket;
    }
}
