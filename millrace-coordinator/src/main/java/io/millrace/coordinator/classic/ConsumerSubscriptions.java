package io.millrace.coordinator.classic;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * Reads the topics out of a classic consumer's JoinGroup metadata (the "consumer" protocol
 * type's subscription: an int16 version, then ConsumerProtocolSubscription at that version).
 * Stateless.
 */
final class ConsumerSubscriptions {
    private ConsumerSubscriptions() {
    }

    /** The subscribed topics, or null when the bytes are not a subscription. */
    static List<String> topics(byte[] metadata) {
        if (metadata == null || metadata.length < Short.BYTES) {
            return null;
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(metadata);
            short version = buffer.getShort();
            if (version < 0) {
                return null;
            }
            // Newer clients may send a newer version: its known fields come first, so read what we know.
            short readable = (short) Math.min(version, ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION);
            return List.copyOf(new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), readable).topics());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
