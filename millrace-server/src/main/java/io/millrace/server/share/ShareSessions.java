package io.millrace.server.share;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share sessions of this broker (KIP-932): per group and member, the partitions it fetches
 * here and the epoch its next ShareFetch or ShareAcknowledge must carry. Epoch 0 opens a session
 * (replacing one the member had), -1 closes it, anything else must be the session's current
 * epoch (else INVALID_SHARE_SESSION_EPOCH; SHARE_SESSION_NOT_FOUND without a session) and moves
 * it on by one. At most {@code maxSessions} sessions (SHARE_SESSION_LIMIT_REACHED), sessions idle
 * for {@link #IDLE_EVICTION_MS} making room first.
 *
 * <p>Thread-safe: the map is concurrent and each session is changed under its own lock.
 */
public final class ShareSessions {
    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;

    private record Key(String groupId, String memberId) {
    }

    private static final class Session {
        private volatile long lastUsedMs;
        private int epoch;
        private final LinkedHashSet<TopicIdPartition> partitions = new LinkedHashSet<>();
    }

    /** The outcome of a request's epoch: an error, or the session's partitions after the request. */
    record Update(Errors error, List<TopicIdPartition> partitions) {
        static Update failed(Errors error) {
            return new Update(error, List.of());
        }
    }

    /**
     * A session unused for this long may be dropped to make room for a new one: Kafka's greatest
     * share session timeout (group.share.max.session.timeout.ms), after which its member has left
     * its group anyway (a consumer killed without closing its sessions leaves them behind).
     */
    static final long IDLE_EVICTION_MS = 60_000;

    private final Map<Key, Session> sessions = new ConcurrentHashMap<>();
    private final int maxSessions;
    private final LongSupplier clock;

    public ShareSessions(int maxSessions) {
        this(maxSessions, System::currentTimeMillis);
    }

    ShareSessions(int maxSessions, LongSupplier clock) {
        this.maxSessions = maxSessions;
        this.clock = clock;
    }

    /**
     * Applies a request's epoch and partition changes. For the final epoch the session is removed
     * and its partitions are returned (the caller releases what the member holds there).
     */
    Update update(String groupId, String memberId, int epoch, Collection<TopicIdPartition> added,
                  Collection<TopicIdPartition> forgotten) {
        Key key = new Key(groupId, memberId);
        long now = clock.getAsLong();
        if (epoch == INITIAL_EPOCH) {
            if (!sessions.containsKey(key) && sessions.size() >= maxSessions) {
                sessions.values().removeIf(s -> now - s.lastUsedMs >= IDLE_EVICTION_MS);
                if (sessions.size() >= maxSessions) {
                    return Update.failed(Errors.SHARE_SESSION_LIMIT_REACHED);
                }
            }
            Session session = new Session();
            session.lastUsedMs = now;
            session.epoch = 1;
            session.partitions.addAll(added);
            sessions.put(key, session);
            return new Update(Errors.NONE, List.copyOf(session.partitions));
        }
        Session session = sessions.get(key);
        if (session == null) {
            return Update.failed(Errors.SHARE_SESSION_NOT_FOUND);
        }
        synchronized (session) {
            session.lastUsedMs = now;
            if (epoch == FINAL_EPOCH) {
                sessions.remove(key, session);
                return new Update(Errors.NONE, List.copyOf(session.partitions));
            }
            if (epoch != session.epoch) {
                return Update.failed(Errors.INVALID_SHARE_SESSION_EPOCH);
            }
            session.epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
            session.partitions.addAll(added);
            session.partitions.removeAll(forgotten);
            return new Update(Errors.NONE, new ArrayList<>(session.partitions));
        }
    }

    /** Number of open sessions (tests, metrics). */
    int size() {
        return sessions.size();
    }
}
