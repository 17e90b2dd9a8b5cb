package io.millrace.server.share;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Share sessions: epochs, closing, and the limit, which sessions left idle make room under. */
class ShareSessionsTest {
    private static final List<TopicIdPartition> ONE = List.of(new TopicIdPartition(Uuid.randomUuid(), 0, "t"));
    private final AtomicLong now = new AtomicLong();
    private final ShareSessions sessions = new ShareSessions(2, now::get);

    @Test
    void epochsMoveOnByOneAndTheFinalEpochCloses() {
        assertEquals(Errors.NONE, sessions.update("g", "m", 0, ONE, List.of()).error());
        assertEquals(ONE, sessions.update("g", "m", 1, List.of(), List.of()).partitions());
        assertEquals(Errors.INVALID_SHARE_SESSION_EPOCH, sessions.update("g", "m", 1, List.of(), List.of()).error());
        assertEquals(ONE, sessions.update("g", "m", -1, List.of(), List.of()).partitions());
        assertEquals(Errors.SHARE_SESSION_NOT_FOUND, sessions.update("g", "m", 2, List.of(), List.of()).error());
    }

    @Test
    void sessionsLeftIdleMakeRoomAtTheLimit() {
        sessions.update("g", "a", 0, ONE, List.of());
        sessions.update("g", "b", 0, ONE, List.of());
        assertEquals(Errors.SHARE_SESSION_LIMIT_REACHED, sessions.update("g", "c", 0, ONE, List.of()).error());
        now.addAndGet(ShareSessions.IDLE_EVICTION_MS - 1);
        sessions.update("g", "b", 1, List.of(), List.of()); // b is in use
        now.addAndGet(1);
        assertEquals(Errors.NONE, sessions.update("g", "c", 0, ONE, List.of()).error(), "a was idle: dropped");
        assertEquals(Errors.SHARE_SESSION_NOT_FOUND, sessions.update("g", "a", 1, List.of(), List.of()).error());
        assertEquals(Errors.NONE, sessions.update("g", "b", 2, List.of(), List.of()).error());
        assertEquals(2, sessions.size());
    }
}
