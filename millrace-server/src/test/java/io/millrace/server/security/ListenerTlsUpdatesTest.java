package io.millrace.server.security;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.BrokerConfig;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.server.config.ConfigResources;
import io.millrace.server.replication.ClientSecurity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which runtime changes of key stores are refused before any store is loaded. */
class ListenerTlsUpdatesTest {
    private final BrokerConfig config = BrokerConfig.fromProperties(Map.of(
            "process.roles", "broker,controller",
            "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
            "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "controller.listener.names", "CONTROLLER",
            "controller.quorum.voters", "1@127.0.0.1:9093"));
    private final ListenerTlsUpdates updates = new ListenerTlsUpdates(config, () -> MetadataImage.EMPTY, Map.of(),
            new ReloadableClientSecurity(ClientSecurity.PLAINTEXT));

    private String check(ConfigResources.Kind kind, String key) {
        return updates.check(kind, Map.of(key, "/new.p12"), Map.of(key, "/new.p12"));
    }

    @Test
    void keyStoresChangeOnlyPerListenerAndPerBroker() {
        assertTrue(check(ConfigResources.Kind.BROKER, "ssl.keystore.location").contains("only per-listener"));
        assertTrue(check(ConfigResources.Kind.BROKER_DEFAULTS, "listener.name.plaintext.ssl.keystore.location")
                .contains("broker id must be specified"));
    }

    @Test
    void onlyTheKeyStoresOfSslListenersOtherThanTheControllerListenerChange() {
        assertTrue(check(ConfigResources.Kind.BROKER, "listener.name.plaintext.ssl.keystore.location")
                .contains("is not an SSL or SASL_SSL listener"));
        assertTrue(check(ConfigResources.Kind.BROKER, "listener.name.controller.ssl.truststore.location")
                .contains("controller listener CONTROLLER cannot change at runtime"));
    }

    @Test
    void otherKeysAreLeftToTheirOwnValidation() {
        assertNull(updates.check(ConfigResources.Kind.BROKER, Map.of("log.retention.ms", "1000"),
                Map.of("log.retention.ms", "1000")));
    }
}
