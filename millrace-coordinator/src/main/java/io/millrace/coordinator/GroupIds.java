package io.millrace.coordinator;

import java.nio.charset.StandardCharsets;

/**
 * Group ids: which are valid and which coordinator partition owns each. Stateless.
 *
 * <p>Kafka sets no length limit of its own; a group id must still fit the int16-length string of
 * our record keys, and we cap it well below that, at {@value #MAX_BYTES} UTF-8 bytes, so that one
 * client cannot make every key of its group huge. Longer ids get INVALID_GROUP_ID.
 */
public final class GroupIds {
    public static final int MAX_BYTES = 8192;

    private GroupIds() {
    }

    public static boolean isValid(String groupId) {
        return groupId != null && !groupId.isEmpty()
                && (groupId.length() * 3 <= MAX_BYTES || groupId.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES);
    }

    /** Kafka's formula, so that every tool agrees on a group's coordinator partition. */
    public static int partitionFor(String groupId, int numPartitions) {
        return (groupId.hashCode() & 0x7fffffff) % numPartitions;
    }
}
