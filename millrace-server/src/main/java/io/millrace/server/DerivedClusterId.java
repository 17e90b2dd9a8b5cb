package io.millrace.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * The cluster id of a quorum whose nodes were given no {@code cluster.id} and no
 * {@code storage format}: a name-based UUID of the voters in a canonical form, so that every node
 * configured with the same voters agrees on it whatever order its JVM iterates a map in.
 *
 * <p>Canonical form: {@code id@host:port} entries sorted by id, joined by commas; the host is
 * lower-cased, loses IPv6 brackets and a trailing dot. Stateless.
 */
final class DerivedClusterId {
    private static final String SEED_PREFIX = "millrace-cluster:";

    private DerivedClusterId() {
    }

    static String of(Map<Integer, InetSocketAddress> voters) {
        UUID uuid = UUID.nameUUIDFromBytes((SEED_PREFIX + canonical(voters)).getBytes(StandardCharsets.UTF_8));
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString();
    }

    static String canonical(Map<Integer, InetSocketAddress> voters) {
        return new TreeMap<>(voters).entrySet().stream()
                .map(e -> e.getKey() + "@" + host(e.getValue().getHostString()) + ":" + e.getValue().getPort())
                .collect(Collectors.joining(","));
    }

    private static String host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }
}
