package io.millrace.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

/**
 * The cluster.id of a local cluster: generated once (a random UUID in Kafka's 22-character
 * URL-safe base64 form) and kept in {@code <data dir>/cluster.id}, so every restart and every
 * node uses the same one. Stateless.
 */
final class ClusterId {

    static final String FILE_NAME = "cluster.id";

    private ClusterId() {
    }

    /** The id stored in {@code dataRoot/cluster.id}, creating the file (and directory) if absent. */
    static String loadOrCreate(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
                throw new IOException(file + " does not hold a cluster id: '" + id + "'");
            }
            return id;
        }
        Files.createDirectories(dataRoot);
        String id = random();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    /** A fresh id: 16 random bytes, URL-safe base64 without padding (as Kafka's Uuid prints). */
    static String random() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
