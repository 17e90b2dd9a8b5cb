package io.millrace.it.chaos;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Cluster ids as Kafka prints them: 16 random bytes, URL-safe base64 without padding. */
final class ChaosIds {
    private ChaosIds() {
    }

    static String clusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
