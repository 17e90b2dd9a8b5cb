package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.ListenerSslKeys;
import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.server.config.BrokerResourceCheck;
import io.millrace.server.config.ConfigResources;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key stores and trust stores altered while the broker runs, as Kafka does it: an SSL listener's
 * {@code listener.name.LISTENER.ssl.keystore.location} (and the other
 * {@link ListenerSslKeys#RECONFIGURABLE} keys) may be set per broker through AlterConfigs or
 * IncrementalAlterConfigs. Before the change is written it is checked ({@link #check}): the new
 * stores must load, the new certificate must keep the subject name and alternative names of the
 * old one (unless {@code ssl.allow.dn.changes} / {@code ssl.allow.san.changes}), a trust store
 * cannot be added where the JVM's default trust was used, and on the inter-broker listener the old
 * and the new stores must accept each other. Once the change is in the metadata image
 * ({@link #onImage}, also at start-up when the image brings earlier changes), the listener's TLS
 * is rebuilt: new connections use it, open connections keep theirs; the inter-broker client TLS
 * too. Thread-safe: {@link #onImage} runs on the publisher's thread, {@link #check} on connection
 * threads; the state is the listeners' volatile references and a concurrent map.
 */
public final class ListenerTlsUpdates implements MetadataListener, BrokerResourceCheck {
    private static final Logger log = LoggerFactory.getLogger(ListenerTlsUpdates.class);

    private final BrokerConfig staticConfig;
    private final String nodeId;
    private final Supplier<MetadataImage> image;
    private final Map<String, ReloadableListenerTls> listeners;
    private final String interBrokerListener;
    private final ReloadableClientSecurity interBroker;
    /** The store settings each listener's TLS was built from. */
    private final Map<String, Map<String, String>> inUse = new ConcurrentHashMap<>();

    /**
     * @param listeners   the SSL and SASL_SSL listeners, built from {@code staticConfig}
     * @param interBroker the inter-broker client security, replaced when the inter-broker listener is one of these
     */
    public ListenerTlsUpdates(BrokerConfig staticConfig, Supplier<MetadataImage> image,
                              Map<String, ReloadableListenerTls> listeners, ReloadableClientSecurity interBroker) {
        this.staticConfig = staticConfig;
        this.nodeId = Integer.toString(staticConfig.nodeId());
        this.image = image;
        this.listeners = Map.copyOf(listeners);
        this.interBrokerListener = staticConfig.interBrokerListenerName();
        this.interBroker = interBroker;
        listeners.keySet().forEach(name -> inUse.put(name, SslSettings.of(staticConfig, name).storeSettings()));
    }

    @Override
    public String check(ConfigResources.Kind kind, Map<String, String> changes, Map<String, String> next) {
        for (String key : changes.keySet()) {
            if (ListenerSslKeys.RECONFIGURABLE.contains(key)) {
                return "These security configs can be dynamically updated only per-listener using the listener "
                        + "prefix: [" + key + "]";
            }
            var listenerKey = ListenerSslKeys.parse(key);
            if (listenerKey.isEmpty()) {
                continue;
            }
            if (kind != ConfigResources.Kind.BROKER) {
                return "Cannot update these configs at default cluster level, broker id must be specified: [" + key + "]";
            }
            String listener = listenerKey.get().listenerName();
            if (staticConfig.controllerListenerNames().contains(listener)) {
                return "The key store and trust store of the controller listener " + listener
                        + " cannot change at runtime (the metadata quorum's TLS is set at start-up): [" + key + "]";
            }
            if (!listeners.containsKey(listener)) {
                return "Listener " + listener + " of node " + nodeId + " is not an SSL or SASL_SSL listener: [" + key + "]";
            }
        }
        if (kind != ConfigResources.Kind.BROKER) {
            return null;
        }
        BrokerConfig candidate = staticConfig.withDynamic(image.get().brokerConfig(""), next);
        for (Map.Entry<String, ReloadableListenerTls> listener : listeners.entrySet()) {
            SslSettings settings = SslSettings.of(candidate, listener.getKey());
            if (settings.storeSettings().equals(inUse.get(listener.getKey()))) {
                continue;
            }
            String why = refusal(listener.getKey(), listener.getValue().current(), settings);
            if (why != null) {
                return "Invalid dynamic configuration of listener " + listener.getKey() + ": " + why;
            }
        }
        return null;
    }

    /** Null when {@code settings} may replace the TLS {@code current} of {@code listener}, else why not. */
    private String refusal(String listener, ServerTls current, SslSettings settings) {
        ServerTls next;
        try {
            next = ServerTls.of(settings);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        try {
            String why = KeyStoreCompatibility.check(current.keyStore(), next.keyStore(),
                    Boolean.TRUE.equals(settings.get(SslSettings.ALLOW_DN_CHANGES)),
                    Boolean.TRUE.equals(settings.get(SslSettings.ALLOW_SAN_CHANGES)));
            if (why != null) {
                return why;
            }
        } catch (GeneralSecurityException e) {
            return "cannot read the certificates of the key stores: " + e.getMessage();
        }
        if (current.trustStore() == null && next.trustStore() != null) {
            return "Cannot add SSL truststore to an existing listener for which no truststore was configured.";
        }
        return listener.equals(interBrokerListener) ? TlsHandshakeCheck.check(current, next) : null;
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        if (previous != MetadataImage.EMPTY
                && previous.brokerConfig(nodeId).equals(current.brokerConfig(nodeId))
                && previous.brokerConfig("").equals(current.brokerConfig(""))) {
            return;
        }
        BrokerConfig effective = staticConfig.withDynamic(current.brokerConfig(""), current.brokerConfig(nodeId));
        for (Map.Entry<String, ReloadableListenerTls> listener : listeners.entrySet()) {
            String name = listener.getKey();
            SslSettings settings = SslSettings.of(effective, name);
            Map<String, String> stores = settings.storeSettings();
            if (Objects.equals(stores, inUse.get(name))) {
                continue;
            }
            try {
                listener.getValue().replace(ServerTls.of(settings));
                if (name.equals(interBrokerListener) && interBroker != null) {
                    interBroker.replace(ClientTls.of(settings));
                }
                inUse.put(name, stores);
                log.info("Listener {}: TLS rebuilt with {} ({}); new connections use it", name,
                        settings.string(SslSettings.KEYSTORE_LOCATION), settings.source(SslSettings.KEYSTORE_LOCATION));
            } catch (ConfigException e) {
                log.error("Listener {}: keeping its TLS, the altered key store or trust store cannot be used: {}",
                        name, e.getMessage());
            }
        }
    }
}
