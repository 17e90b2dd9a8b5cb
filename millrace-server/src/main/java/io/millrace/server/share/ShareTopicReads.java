package io.millrace.server.share;

import io.millrace.server.api.Authorization;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.acl.AclOperation;

/**
 * Which topics one ShareFetch or ShareAcknowledge may touch: as in Kafka, READ on the topic
 * (the group's READ is checked before). Each topic is decided once per request, so a denial is
 * logged once however many of its partitions the request names. A partition of an unknown topic
 * (no name) is not decided here: it is answered UNKNOWN_TOPIC_ID. Not thread-safe: one per request.
 */
final class ShareTopicReads {
    private final Authorization authorization;
    private final Map<String, Boolean> decided = new HashMap<>();

    ShareTopicReads(Authorization authorization) {
        this.authorization = authorization;
    }

    /** Whether the request may read {@code topic}; true for an unknown topic (null name). */
    boolean readable(String topic) {
        if (topic == null || !authorization.enabled()) {
            return true;
        }
        return decided.computeIfAbsent(topic, t -> authorization.allowsTopic(AclOperation.READ, t));
    }
}
