package io.millrace.server.share;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes a share-partition's dead letters to the group's dead-letter topic (KIP-1191). The future
 * completes when the write ended, normally when the records are in the topic, exceptionally when
 * it was given up (the topic may not be used, is missing, or kept failing); either way the caller
 * archives the offsets, as Kafka does. Implementations never block the caller.
 */
public interface DeadLetterWriter {
    /**
     * @param topic       the group's dead-letter topic
     * @param copyRecord  whether the original key and value are copied (else headers only)
     */
    CompletableFuture<Void> write(String groupId, TopicPartition source, DeadLetter letter, String topic,
                                  boolean copyRecord);
}
