package io.millrace.server.security;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Kafka's rule for a key store replaced at runtime: the new store holds as many certificates as
 * the old, in the same order each with the same subject distinguished name (unless
 * {@code ssl.allow.dn.changes}) and at least the old subject alternative names (unless
 * {@code ssl.allow.san.changes}), so that clients and other brokers that verify this broker's
 * name keep accepting it. Stateless.
 */
final class KeyStoreCompatibility {
    private KeyStoreCompatibility() {
    }

    /** Null when {@code next} may replace {@code previous}, else why not, in one line. */
    static String check(KeyStore previous, KeyStore next, boolean allowDnChanges, boolean allowSanChanges)
            throws GeneralSecurityException {
        List<Entry> before = entries(previous);
        List<Entry> after = entries(next);
        if ((!allowDnChanges || !allowSanChanges) && before.size() != after.size()) {
            return "Keystore entries do not match, existing store contains " + before.size()
                    + " entries, new store contains " + after.size() + " entries";
        }
        for (int i = 0; i < after.size() && i < before.size(); i++) {
            Entry old = before.get(i);
            Entry now = after.get(i);
            if (!allowDnChanges && !old.subject().equals(now.subject())
                    && !old.subject().getName().equalsIgnoreCase(now.subject().getName())) {
                return "Keystore DistinguishedName does not match: existing={alias=" + old.alias() + ", DN="
                        + old.subject() + "}, new={alias=" + now.alias() + ", DN=" + now.subject() + "}";
            }
            if (!allowSanChanges && !now.altNames().containsAll(old.altNames())) {
                return "Keystore SubjectAltNames do not match: existing={alias=" + old.alias() + ", SAN="
                        + old.altNames() + "}, new={alias=" + now.alias() + ", SAN=" + now.altNames() + "}";
            }
        }
        return null;
    }

    private record Entry(String alias, X500Principal subject, Set<List<?>> altNames) {
    }

    private static List<Entry> entries(KeyStore store) throws GeneralSecurityException {
        List<Entry> entries = new ArrayList<>();
        Enumeration<String> aliases = store.aliases();
        while (aliases.hasMoreElements()) {
            String alias = aliases.nextElement();
            Certificate certificate = store.getCertificate(alias);
            if (certificate instanceof X509Certificate x509) {
                Collection<List<?>> names = x509.getSubjectAlternativeNames();
                entries.add(new Entry(alias, x509.getSubjectX500Principal(),
                        names == null ? Collections.<List<?>>emptySet() : new HashSet<>(names)));
            }
        }
        return entries;
    }
}
