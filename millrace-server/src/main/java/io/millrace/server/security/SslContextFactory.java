package io.millrace.server.security;

import io.millrace.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the {@link SSLContext} of a listener from its {@link SslSettings}: the key store
 * (JKS, PKCS12 or PEM; a file or, for PEM, the key and chain in the config), the trust store
 * (the JVM's default trust when none is given) and {@code ssl.protocol}. Whatever cannot be read
 * is a ConfigException whose one line names the key. Stateless.
 */
final class SslContextFactory {
    private static final String PEM = "PEM";

    private SslContextFactory() {
    }

    /** An SSLContext with the stores it was built from (null: none, the JVM's default trust). */
    record Built(SSLContext context, KeyStore keyStore, KeyStore trustStore) {
    }

    /** @param needsKey true for a server (an SSL listener must present a certificate) */
    static SSLContext build(SslSettings settings, boolean needsKey) {
        return buildWithStores(settings, needsKey).context();
    }

    /** As {@link #build}, keeping the loaded stores (to compare them with those of a later update). */
    static Built buildWithStores(SslSettings settings, boolean needsKey) {
        KeyStore[] keyStore = new KeyStore[1];
        KeyStore[] trustStore = new KeyStore[1];
        KeyManager[] keyManagers = keyManagers(settings, needsKey, keyStore);
        TrustManager[] trustManagers = trustManagers(settings, trustStore);
        String protocol = settings.string(SslSettings.PROTOCOL);
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keyManagers, trustManagers, null);
            return new Built(context, keyStore[0], trustStore[0]);
        } catch (GeneralSecurityException e) {
            throw refused(settings, SslSettings.PROTOCOL, protocol, e);
        }
    }

    /** The key manager and trust manager of {@code settings}, for TLS that does not run on an SSLContext of ours. */
    record X509Managers(X509KeyManager keyManager, X509TrustManager trustManager) {
    }

    /**
     * The key manager (a key store is required) and the trust manager (the JVM's default trust
     * when no trust store is given) of {@code settings}.
     */
    static X509Managers x509Managers(SslSettings settings) {
        KeyManager[] keyManagers = keyManagers(settings, true, new KeyStore[1]);
        TrustManager[] trustManagers = trustManagers(settings, new KeyStore[1]);
        try {
            if (trustManagers == null) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        settings.string(SslSettings.TRUSTMANAGER_ALGORITHM));
                factory.init((KeyStore) null);
                trustManagers = factory.getTrustManagers();
            }
        } catch (GeneralSecurityException e) {
            throw refused(settings, SslSettings.TRUSTMANAGER_ALGORITHM, settings.string(SslSettings.TRUSTMANAGER_ALGORITHM), e);
        }
        X509KeyManager keyManager = first(keyManagers, X509KeyManager.class);
        X509TrustManager trustManager = first(trustManagers, X509TrustManager.class);
        if (keyManager == null || trustManager == null) {
            throw new ConfigException("Listener " + settings.listenerName() + ": "
                    + settings.source(keyManager == null ? SslSettings.KEYMANAGER_ALGORITHM : SslSettings.TRUSTMANAGER_ALGORITHM)
                    + " gives no X.509 " + (keyManager == null ? "key" : "trust") + " manager");
        }
        return new X509Managers(keyManager, trustManager);
    }

    private static <T> T first(Object[] managers, Class<T> type) {
        for (Object manager : managers) {
            if (type.isInstance(manager)) {
                return type.cast(manager);
            }
        }
        return null;
    }

    private static KeyManager[] keyManagers(SslSettings settings, boolean needsKey, KeyStore[] loaded) {
        String type = settings.string(SslSettings.KEYSTORE_TYPE).toUpperCase(Locale.ROOT);
        String location = settings.nonBlank(SslSettings.KEYSTORE_LOCATION);
        String inlineKey = settings.nonBlank(SslSettings.KEYSTORE_KEY);
        char[] storePassword = chars(settings.nonBlank(SslSettings.KEYSTORE_PASSWORD));
        char[] keyPassword = chars(settings.nonBlank(SslSettings.KEY_PASSWORD));
        if (keyPassword == null) {
            keyPassword = storePassword;
        }
        KeyStore store;
        String blamed = SslSettings.KEYSTORE_LOCATION;
        try {
            if (inlineKey != null) {
                blamed = SslSettings.KEYSTORE_KEY;
                if (!type.equals(PEM)) {
                    throw new ConfigException(settings.source(SslSettings.KEYSTORE_KEY) + " is set but "
                            + settings.source(SslSettings.KEYSTORE_TYPE) + " is " + type + ", not PEM");
                }
                store = PemStores.keyStore(inlineKey, settings.nonBlank(SslSettings.KEYSTORE_CHAIN),
                        orEmpty(keyPassword));
                keyPassword = orEmpty(keyPassword);
            } else if (location == null) {
                if (needsKey) {
                    throw new ConfigException("Listener " + settings.listenerName() + " uses SSL but "
                            + settings.source(SslSettings.KEYSTORE_LOCATION) + " is not set");
                }
                return null;
            } else if (type.equals(PEM)) {
                String pem = read(settings, SslSettings.KEYSTORE_LOCATION, location);
                store = PemStores.keyStore(pem, pem, orEmpty(keyPassword));
                keyPassword = orEmpty(keyPassword);
            } else {
                store = load(settings, SslSettings.KEYSTORE_TYPE, type, SslSettings.KEYSTORE_LOCATION, location,
                        storePassword, SslSettings.KEYSTORE_PASSWORD);
            }
            blamed = settings.nonBlank(SslSettings.KEY_PASSWORD) != null ? SslSettings.KEY_PASSWORD
                    : SslSettings.KEYSTORE_PASSWORD;
            KeyManagerFactory factory = KeyManagerFactory.getInstance(settings.string(SslSettings.KEYMANAGER_ALGORITHM));
            factory.init(store, keyPassword);
            loaded[0] = store;
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw refused(settings, blamed, null, e);
        }
    }

    private static TrustManager[] trustManagers(SslSettings settings, KeyStore[] loaded) {
        String type = settings.string(SslSettings.TRUSTSTORE_TYPE).toUpperCase(Locale.ROOT);
        String location = settings.nonBlank(SslSettings.TRUSTSTORE_LOCATION);
        String inline = settings.nonBlank(SslSettings.TRUSTSTORE_CERTIFICATES);
        String blamed = inline != null ? SslSettings.TRUSTSTORE_CERTIFICATES : SslSettings.TRUSTSTORE_LOCATION;
        try {
            KeyStore store;
            if (inline != null) {
                store = PemStores.trustStore(inline);
            } else if (location == null) {
                return null; // the JVM's default trust, as Kafka
            } else if (type.equals(PEM)) {
                store = PemStores.trustStore(read(settings, SslSettings.TRUSTSTORE_LOCATION, location));
            } else {
                store = load(settings, SslSettings.TRUSTSTORE_TYPE, type, SslSettings.TRUSTSTORE_LOCATION, location,
                        chars(settings.nonBlank(SslSettings.TRUSTSTORE_PASSWORD)), SslSettings.TRUSTSTORE_PASSWORD);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(
                    settings.string(SslSettings.TRUSTMANAGER_ALGORITHM));
            factory.init(store);
            loaded[0] = store;
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw refused(settings, blamed, null, e);
        }
    }

    private static KeyStore load(SslSettings settings, String typeKey, String type, String locationKey, String location,
                                 char[] password, String passwordKey) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            throw refused(settings, typeKey, type, e);
        }
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException || isBadPassword(e)) {
                throw new ConfigException("Cannot open " + settings.source(locationKey) + " (" + location + ") with "
                        + settings.source(passwordKey) + ": " + e.getMessage());
            }
            throw refused(settings, locationKey, location, e);
        } catch (GeneralSecurityException e) {
            throw refused(settings, locationKey, location, e);
        }
    }

    private static boolean isBadPassword(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("password");
    }

    private static String read(SslSettings settings, String key, String location) {
        try {
            return Files.readString(Path.of(location), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw refused(settings, key, location, e);
        }
    }

    private static ConfigException refused(SslSettings settings, String key, String value, Exception e) {
        String shown = value == null ? "" : " (" + value + ")";
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new ConfigException("Cannot use " + settings.source(key) + shown + " for listener "
                + settings.listenerName() + ": " + why);
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    private static char[] orEmpty(char[] password) {
        return password == null ? new char[0] : password;
    }
}
