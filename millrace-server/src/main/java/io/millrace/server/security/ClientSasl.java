package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.metadata.records.ScramMechanism;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.replication.InterBrokerAuthenticationException;
import io.millrace.server.replication.NodeConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL authentication of the connections this broker opens to other brokers when the
 * inter-broker listener is SASL_PLAINTEXT or SASL_SSL, as Kafka configures it:
 * {@code sasl.mechanism.inter.broker.protocol} (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, enabled on
 * that listener) with the {@code username} and {@code password} options of the listener's JAAS
 * configuration for that mechanism ({@code listener.name.L.MECHANISM.sasl.jaas.config}, else
 * {@code sasl.jaas.config}). After ApiVersions it sends SaslHandshake v1 and the mechanism's
 * tokens in SaslAuthenticate (again on the same connection before a session of
 * {@code connections.max.reauth.ms} ends, see {@link NodeConnection}); the transport underneath (plaintext or TLS) is another
 * {@link ClientSecurity}. A failure is logged once per broker address until an authentication to
 * it succeeds again. Thread-safe (the failure log is a concurrent map).
 */
public final class ClientSasl implements ClientSecurity {
    private static final Logger log = LoggerFactory.getLogger(ClientSasl.class);
    private static final String MECHANISM_KEY = "sasl.mechanism.inter.broker.protocol";
    private static final String JAAS_CONFIG = "sasl.jaas.config";

    private final ClientSecurity transport;
    private final String mechanism;
    private final String user;
    private final String password;
    private final String jaasKey;
    private final Map<InetSocketAddress, String> loggedFailures = new ConcurrentHashMap<>();

    private ClientSasl(ClientSecurity transport, String mechanism, String user, String password, String jaasKey) {
        this.transport = transport;
        this.mechanism = mechanism;
        this.user = user;
        this.password = password;
        this.jaasKey = jaasKey;
    }

    /**
     * How this broker connects to the others: TLS when the inter-broker listener is SSL or
     * SASL_SSL, SASL authentication on top when it is SASL_PLAINTEXT or SASL_SSL, else plaintext.
     *
     * @throws ConfigException naming the key when the mechanism is not enabled on the listener or
     *                         its JAAS configuration lacks this broker's username and password
     */
    public static ClientSecurity forInterBroker(BrokerConfig config) {
        return forInterBroker(config, ClientTls.forInterBroker(config));
    }

    /** As {@link #forInterBroker(BrokerConfig)}, with SASL (if any) over {@code transport} (TLS that may be reloaded). */
    public static ClientSecurity forInterBroker(BrokerConfig config, ClientSecurity transport) {
        String listener = config.interBrokerListenerName();
        boolean sasl = config.listeners().stream().anyMatch(e -> e.listenerName().equals(listener))
                && config.securityProtocol(listener).startsWith("SASL_");
        if (!sasl) {
            return transport;
        }
        String mechanism = config.getString(MECHANISM_KEY);
        if (!SaslMechanisms.of(config, listener, null).enabledMechanisms().contains(mechanism)) {
            throw new ConfigException(MECHANISM_KEY + " is " + mechanism + " but the inter-broker listener " + listener
                    + " does not enable it (sasl.enabled.mechanisms)");
        }
        String prefix = BrokerConfigs.LISTENER_OVERRIDE_PREFIX + listener.toLowerCase(Locale.ROOT) + ".";
        String jaasKey = prefix + mechanism.toLowerCase(Locale.ROOT) + "." + JAAS_CONFIG;
        String jaas = config.originals().get(jaasKey);
        if (jaas == null) {
            jaasKey = JAAS_CONFIG;
            jaas = config.getString(JAAS_CONFIG);
        }
        if (jaas == null || jaas.isBlank()) {
            throw new ConfigException("The inter-broker listener " + listener + " uses SASL/" + mechanism + " but neither "
                    + prefix + mechanism.toLowerCase(Locale.ROOT) + "." + JAAS_CONFIG + " nor " + JAAS_CONFIG
                    + " gives this broker's username and password");
        }
        JaasOptions options = JaasOptions.parse(jaasKey, jaas);
        String user = options.option("username");
        String password = options.option("password");
        if (user == null || user.isEmpty() || password == null) {
            throw new ConfigException(jaasKey + " has no username and password options: the broker authenticates to "
                    + "the other brokers with them (value hidden)");
        }
        return new ClientSasl(transport, mechanism, user, password, jaasKey);
    }

    @Override
    public Socket secure(Socket connected, InetSocketAddress address, int timeoutMs) throws IOException {
        return transport.secure(connected, address, timeoutMs);
    }

    @Override
    public long authenticate(NodeConnection connection, int timeoutMs) throws IOException {
        InetSocketAddress address = connection.address();
        long sessionLifetimeMs;
        try {
            sessionLifetimeMs = exchange(connection, timeoutMs);
        } catch (SaslException | UnsupportedVersionException e) {
            String message = "SASL/" + mechanism + " authentication as " + user + " to the broker at "
                    + address.getHostString() + ":" + address.getPort() + " failed: " + e.getMessage();
            if (!message.equals(loggedFailures.put(address, message))) {
                log.warn("{} (check the username and password in {}); retrying", message, jaasKey);
            }
            throw new InterBrokerAuthenticationException(message);
        }
        if (loggedFailures.remove(address) != null) {
            log.info("SASL/{} authentication as {} to the broker at {}:{} succeeds again", mechanism, user,
                    address.getHostString(), address.getPort());
        }
        return sessionLifetimeMs;
    }

    /** Authenticates; returns the session lifetime the other broker gave (0: none). */
    private long exchange(NodeConnection connection, int timeoutMs) throws IOException {
        connection.versionFor(ApiKeys.SASL_HANDSHAKE, (short) 1);
        SaslHandshakeResponseData handshake = connection.send(ApiKeys.SASL_HANDSHAKE, (short) 1,
                new SaslHandshakeRequestData().setMechanism(mechanism), timeoutMs);
        if (handshake.errorCode() != Errors.NONE.code()) {
            throw new SaslException(Errors.forCode(handshake.errorCode()).name() + " (it enables "
                    + handshake.mechanisms() + ")");
        }
        short version = connection.versionFor(ApiKeys.SASL_AUTHENTICATE, (short) 0);
        Mechanism client = start();
        byte[] token = client.next(new byte[0]);
        long sessionLifetimeMs = 0;
        while (token != null) {
            SaslAuthenticateResponseData answer = connection.send(ApiKeys.SASL_AUTHENTICATE, version,
                    new SaslAuthenticateRequestData().setAuthBytes(token), timeoutMs);
            if (answer.errorCode() != Errors.NONE.code()) {
                throw new SaslException(answer.errorMessage() != null ? answer.errorMessage()
                        : Errors.forCode(answer.errorCode()).name());
            }
            sessionLifetimeMs = answer.sessionLifetimeMs();
            token = client.next(answer.authBytes());
        }
        if (!client.complete()) {
            throw new SaslException("the exchange ended before it completed");
        }
        return sessionLifetimeMs;
    }

    /** A client exchange: the next token from the last answer, null once nothing more is to be sent. */
    private interface Mechanism {
        byte[] next(byte[] answer) throws SaslException;

        boolean complete();
    }

    private Mechanism start() {
        if (mechanism.equals(PlainSasl.PLAIN)) {
            return new Mechanism() {
                private boolean sent;

                @Override
                public byte[] next(byte[] answer) {
                    if (sent) {
                        return null;
                    }
                    sent = true;
                    return ("\u0000" + user + "\u0000" + password).getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public boolean complete() {
                    return sent;
                }
            };
        }
        ScramMechanism scram = ScramMechanism.fromMechanismName(mechanism)
                .orElseThrow(() -> new IllegalStateException("No client for SASL mechanism " + mechanism));
        ScramClient client = new ScramClient(scram, user, password);
        return new Mechanism() {
            @Override
            public byte[] next(byte[] answer) throws SaslException {
                return client.next(answer);
            }

            @Override
            public boolean complete() {
                return client.complete();
            }
        };
    }
}
