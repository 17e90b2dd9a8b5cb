package io.millrace.quorum;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The replies of forwarded controller commands as the metadata log committed them, by the
 * sender's request id: every voter fills it while it applies the batches that carry one
 * ({@link MetadataBatchCodec}), so the node that becomes the active controller after a failover
 * answers a retried request with its first reply (the encoded reply, as
 * {@link LeaderQueryHandler} sends it) instead of running the command again, e.g. a CreateTopics
 * whose reply was lost when its leader died answers success to its sender, not
 * TOPIC_ALREADY_EXISTS.
 *
 * <p>Bounded to {@link #CAPACITY} ids, oldest first out; not part of snapshots, so a node that
 * restarted knows only the replies it applied since. Thread-safe: written by the state machine's
 * updater thread, read by gRPC threads.
 */
final class CommittedCommandReplies {
    static final int CAPACITY = 4096;

    private final Map<String, byte[]> replies;

    CommittedCommandReplies() {
        this(CAPACITY);
    }

    CommittedCommandReplies(int capacity) {
        this.replies = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A committed batch carried the reply of request {@code requestId}. */
    synchronized void committed(String requestId, byte[] encodedReply) {
        replies.putIfAbsent(requestId, encodedReply);
    }

    /** The encoded reply committed for {@code requestId}, if this node applied it. */
    synchronized Optional<byte[]> reply(String requestId) {
        return Optional.ofNullable(replies.get(requestId));
    }

    synchronized int size() {
        return replies.size();
    }
}
