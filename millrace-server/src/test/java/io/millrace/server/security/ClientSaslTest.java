package io.millrace.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import io.millrace.server.replication.ClientSecurity;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the broker's own connections to other brokers are secured, from its configuration. */
class ClientSaslTest {
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule required";

    private static Map<String, String> saslInterBroker(String mechanism) {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:9092,INTERNAL://127.0.0.1:9094");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("sasl.mechanism.inter.broker.protocol", mechanism);
        return props;
    }

    @Test
    void aPlaintextInterBrokerListenerNeedsNothing() {
        assertSame(ClientSecurity.PLAINTEXT, ClientSasl.forInterBroker(BrokerConfig.fromProperties(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:9092"))));
    }

    @Test
    void theBrokersCredentialsComeFromTheListenersJaasConfigOfTheMechanism() {
        Map<String, String> plain = saslInterBroker("PLAIN");
        plain.put("sasl.enabled.mechanisms", "PLAIN");
        plain.put("listener.name.internal.plain.sasl.jaas.config", PLAIN_MODULE
                + " username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\";");
        assertInstanceOf(ClientSasl.class, ClientSasl.forInterBroker(BrokerConfig.fromProperties(plain)));

        Map<String, String> scram = saslInterBroker("SCRAM-SHA-512");
        scram.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        scram.put("sasl.jaas.config", SCRAM_MODULE + " username=\"broker\" password=\"broker-secret\";");
        assertInstanceOf(ClientSasl.class, ClientSasl.forInterBroker(BrokerConfig.fromProperties(scram)));
    }

    @Test
    void aMechanismNotEnabledOrMissingCredentialsStopStartUpWithOneLine() {
        Map<String, String> props = saslInterBroker("SCRAM-SHA-256");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ClientSasl.forInterBroker(BrokerConfig.fromProperties(props)));
        assertEquals("sasl.mechanism.inter.broker.protocol is SCRAM-SHA-256 but the inter-broker listener INTERNAL "
                + "does not enable it (sasl.enabled.mechanisms)", e.getMessage());

        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
        e = assertThrows(ConfigException.class, () -> ClientSasl.forInterBroker(BrokerConfig.fromProperties(props)));
        assertEquals("The inter-broker listener INTERNAL uses SASL/SCRAM-SHA-256 but neither "
                + "listener.name.internal.scram-sha-256.sasl.jaas.config nor sasl.jaas.config gives this broker's "
                + "username and password", e.getMessage());

        props.put("listener.name.internal.scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " username=\"broker\";");
        e = assertThrows(ConfigException.class, () -> ClientSasl.forInterBroker(BrokerConfig.fromProperties(props)));
        assertEquals("listener.name.internal.scram-sha-256.sasl.jaas.config has no username and password options: "
                + "the broker authenticates to the other brokers with them (value hidden)", e.getMessage());
    }

    @Test
    void jaasOptionsAreParsedQuotedOrBare() {
        JaasOptions options = JaasOptions.parse("k", SCRAM_MODULE + " username=\"a \\\"b\\\"\" password=bare "
                + "user_x=\"y\";");
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", options.loginModule());
        assertEquals(Map.of("username", "a \"b\"", "password", "bare", "user_x", "y"), options.options());
        assertThrows(ConfigException.class, () -> JaasOptions.parse("k", "  "));
    }
}
