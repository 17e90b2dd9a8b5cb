package io.millrace.server.fetchsession;

import io.millrace.common.Time;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The broker's incremental fetch sessions (KIP-227), at most
 * {@code max.incremental.fetch.session.cache.slots} of them (0: none, every fetch is full).
 *
 * <p>Creation and eviction follow Kafka: a new session takes a free slot; when none is free it
 * evicts the least recently used session if that one has been idle for longer than the eviction
 * time (two minutes); otherwise it may evict the least valuable session if it is itself more
 * valuable: a follower's over a consumer's, then more partitions over fewer. A session
 * younger than the eviction time cannot be evicted by a consumer's session, nor a follower's
 * session by another follower's.
 *
 * <p>{@link #newContext} reads a Fetch request's session id and epoch as Kafka does: epoch 0
 * (initial) or -1 (final) is a full fetch that closes the session it names, and with epoch 0
 * opens a new one when answered; any other epoch is an incremental fetch of an existing session
 * (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, or FETCH_SESSION_TOPIC_ID_ERROR when
 * the request's version names topics differently from the session's first request).
 *
 * <p>Thread-safe: the cache's maps are guarded by this object's monitor; a session's partitions by
 * the session's own monitor, always taken after this one.
 */
public final class FetchSessionCache {
    /** Kafka's minimum idle time before a session can be evicted by a less valuable one. */
    public static final long DEFAULT_EVICTION_MS = 120_000;
    /** The server.properties key of the cache's size. */
    public static final String MAX_SLOTS_KEY = "max.incremental.fetch.session.cache.slots";
    static final int INVALID_SESSION_ID = 0;
    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;

    private static final Comparator<FetchSession> BY_LAST_USE = Comparator.<FetchSession>comparingLong(s -> s.lastUsedMs)
            .thenComparingInt(s -> s.id);
    private static final Comparator<FetchSession> BY_VALUE = Comparator.<FetchSession, Boolean>comparing(s -> s.privileged)
            .thenComparingInt(s -> s.cachedSize).thenComparingInt(s -> s.id);

    private final int maxSessions;
    private final long evictionMs;
    private final Time time;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    /** Least recently used first. */
    private final TreeMap<FetchSession, Boolean> lastUsed = new TreeMap<>(BY_LAST_USE);
    /** Least valuable first: the sessions a follower's new session may evict. */
    private final TreeMap<FetchSession, Boolean> evictableByPrivileged = new TreeMap<>(BY_VALUE);
    /** Least valuable first: the sessions any new session may evict. */
    private final TreeMap<FetchSession, Boolean> evictableByAll = new TreeMap<>(BY_VALUE);
    private long partitionCount;
    private long evictions;

    public FetchSessionCache(int maxSessions, long evictionMs, Time time) {
        this.maxSessions = maxSessions;
        this.evictionMs = evictionMs;
        this.time = time;
    }

    /** A cache of {@code maxSessions} sessions on the system clock; 0 turns incremental fetches off. */
    public FetchSessionCache(int maxSessions) {
        this(maxSessions, DEFAULT_EVICTION_MS, Time.SYSTEM);
    }

    /** What to read and how to answer for one Fetch request at {@code version}. */
    public FetchContext newContext(FetchRequestData request, short version, boolean fromFollower) {
        int sessionId = request.sessionId();
        int epoch = request.sessionEpoch();
        boolean usesTopicIds = version >= FIRST_VERSION_WITH_TOPIC_IDS;
        if (epoch == INITIAL_EPOCH || epoch == FINAL_EPOCH) {
            if (sessionId != INVALID_SESSION_ID) {
                remove(sessionId);
            }
            return epoch == FINAL_EPOCH ? new FetchContext.Sessionless(request)
                    : new FetchContext.Full(this, request, usesTopicIds, fromFollower);
        }
        synchronized (this) {
            FetchSession session = sessions.get(sessionId);
            if (session == null) {
                return new FetchContext.SessionError(Errors.FETCH_SESSION_ID_NOT_FOUND);
            }
            synchronized (session) {
                if (session.epoch() != epoch) {
                    return new FetchContext.SessionError(Errors.INVALID_FETCH_SESSION_EPOCH);
                }
                if (session.usesTopicIds != usesTopicIds) {
                    return new FetchContext.SessionError(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
                }
                session.update(request);
                if (session.size() == 0) {
                    remove(session);
                    return new FetchContext.Sessionless(request);
                }
                touch(session, time.milliseconds());
                session.advanceEpoch();
                return new FetchContext.Incremental(session, session.epoch(), request);
            }
        }
    }

    /** Kafka's epoch sequence: 1, 2, ... Integer.MAX_VALUE, then 1 again; negative stays final. */
    static int nextEpoch(int epoch) {
        if (epoch < 0) {
            return FINAL_EPOCH;
        }
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    /**
     * Opens a session of {@code size} partitions when there is a slot or one can be evicted;
     * returns its id, or 0 when none was opened.
     */
    synchronized int maybeCreateSession(boolean privileged, int size, boolean usesTopicIds,
                                        Supplier<LinkedHashMap<SessionPartitionKey, CachedPartition>> partitions) {
        long now = time.milliseconds();
        if (sessions.size() >= maxSessions && !tryEvict(privileged, size, now)) {
            return INVALID_SESSION_ID;
        }
        FetchSession session = new FetchSession(newSessionId(), privileged, usesTopicIds, now, partitions.get());
        sessions.put(session.id, session);
        touch(session, now);
        return session.id;
    }

    private boolean tryEvict(boolean privileged, int size, long now) {
        if (lastUsed.isEmpty()) {
            return false;
        }
        FetchSession stalest = lastUsed.firstKey();
        if (now - stalest.lastUsedMs > evictionMs) {
            remove(stalest);
            evictions++;
            return true;
        }
        TreeMap<FetchSession, Boolean> evictable = privileged ? evictableByPrivileged : evictableByAll;
        if (evictable.isEmpty()) {
            return false;
        }
        FetchSession leastValuable = evictable.firstKey();
        int byPrivilege = Boolean.compare(privileged, leastValuable.privileged);
        if (byPrivilege < 0 || byPrivilege == 0 && size <= leastValuable.cachedSize) {
            return false;
        }
        remove(leastValuable);
        evictions++;
        return true;
    }

    private int newSessionId() {
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        return id;
    }

    /** Re-indexes a session after use: its last use and its size (the value eviction weighs). */
    private void touch(FetchSession session, long now) {
        lastUsed.remove(session);
        evictableByPrivileged.remove(session);
        evictableByAll.remove(session);
        if (session.cachedSize >= 0) {
            partitionCount -= session.cachedSize;
        }
        session.lastUsedMs = now;
        session.cachedSize = session.size();
        partitionCount += session.cachedSize;
        lastUsed.put(session, Boolean.TRUE);
        boolean old = now - session.creationMs > evictionMs;
        if (!session.privileged || old) {
            evictableByPrivileged.put(session, Boolean.TRUE);
        }
        if (old) {
            evictableByAll.put(session, Boolean.TRUE);
        }
    }

    synchronized void remove(int sessionId) {
        FetchSession session = sessions.get(sessionId);
        if (session != null) {
            remove(session);
        }
    }

    private void remove(FetchSession session) {
        lastUsed.remove(session);
        evictableByPrivileged.remove(session);
        evictableByAll.remove(session);
        if (sessions.remove(session.id) != null) {
            partitionCount -= session.cachedSize;
        }
    }

    /** Sessions open now. */
    public synchronized int size() {
        return sessions.size();
    }

    /** Partitions cached over all sessions. */
    public synchronized long partitionCount() {
        return partitionCount;
    }

    /** Sessions evicted since start. */
    public synchronized long evictions() {
        return evictions;
    }

    synchronized FetchSession session(int id) {
        return sessions.get(id);
    }
}
