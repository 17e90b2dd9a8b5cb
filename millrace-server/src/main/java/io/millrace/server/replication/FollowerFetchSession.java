package io.millrace.server.replication;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.ForgottenTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A follower's side of its fetch session with one leader (KIP-227), as Kafka's clients keep it:
 * the first request is full (epoch 0) and, when the leader answers with a session id, the next
 * ones are incremental: they name only the partitions whose position changed or that are new,
 * and list as forgotten those no longer fetched. The leader answers only partitions with news.
 *
 * <p>After a session error or a failed request the next request is full again (epoch 0, naming
 * the old session so the leader closes it; without it once the leader did not know the session).
 * A leader that keeps no sessions answers session id 0, and every request stays full.
 *
 * <p>Not thread-safe: used by its {@link ReplicaFetcher}'s thread only.
 */
final class FollowerFetchSession {
    private static final int NO_SESSION = 0;
    private static final int INITIAL_EPOCH = 0;
    private static final Set<Errors> SESSION_ERRORS = EnumSet.of(Errors.FETCH_SESSION_ID_NOT_FOUND,
            Errors.INVALID_FETCH_SESSION_EPOCH, Errors.FETCH_SESSION_TOPIC_ID_ERROR);

    private int sessionId = NO_SESSION;
    private int epoch = INITIAL_EPOCH;
    private short sessionVersion = -1;
    /** Each partition as the leader's session holds it: the position last sent. */
    private Map<Key, FetchPosition> inSession = new LinkedHashMap<>();
    /** The request in flight: the partitions it covers, and whether it was full. */
    private Map<Key, FetchPosition> pending = Map.of();
    private boolean pendingFull;
    private short pendingVersion;

    private record Key(TopicPartition topicPartition, Uuid topicId) {
        static Key of(FetchPosition position) {
            return new Key(position.topicPartition(), position.topicId());
        }
    }

    /** The request that fetches {@code positions} (all the partitions to fetch now) at {@code version}. */
    FetchRequestData build(int nodeId, long brokerEpoch, ReplicaFetcherConfig config, short version,
                           List<FetchPosition> positions) {
        if (epoch != INITIAL_EPOCH && (version != sessionVersion || leaderEpochChanged(positions))) {
            // A new version: the leader would answer FETCH_SESSION_TOPIC_ID_ERROR. A new leader
            // epoch: the fetcher may have dropped an answer for the old one, so start afresh.
            epoch = INITIAL_EPOCH;
        }
        Map<Key, FetchPosition> wanted = new LinkedHashMap<>();
        for (FetchPosition p : positions) {
            wanted.put(Key.of(p), p);
        }
        pending = wanted;
        pendingFull = epoch == INITIAL_EPOCH;
        pendingVersion = version;
        if (pendingFull) {
            return FetchRequests.build(nodeId, brokerEpoch, config, version, positions)
                    .setSessionId(sessionId).setSessionEpoch(INITIAL_EPOCH);
        }
        List<FetchPosition> changed = new ArrayList<>();
        for (FetchPosition p : positions) {
            if (!p.equals(inSession.get(Key.of(p)))) {
                changed.add(p);
            }
        }
        FetchRequestData request = FetchRequests.build(nodeId, brokerEpoch, config, version, changed)
                .setSessionId(sessionId).setSessionEpoch(epoch);
        boolean byId = version >= FetchRequests.TOPIC_ID_VERSION;
        Map<Object, ForgottenTopic> forgotten = new LinkedHashMap<>();
        for (Key key : inSession.keySet()) {
            if (!wanted.containsKey(key)) {
                String name = key.topicPartition().topic();
                forgotten.computeIfAbsent(byId ? key.topicId() : name, k -> byId
                                ? new ForgottenTopic().setTopicId(key.topicId()) : new ForgottenTopic().setTopic(name))
                        .partitions().add(key.topicPartition().partition());
            }
        }
        request.forgottenTopicsData().addAll(forgotten.values());
        return request;
    }

    private boolean leaderEpochChanged(List<FetchPosition> positions) {
        for (FetchPosition p : positions) {
            FetchPosition before = inSession.get(Key.of(p));
            if (before != null && before.currentLeaderEpoch() != p.currentLeaderEpoch()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the answer to the last built request. Returns false on a session error: the response
     * carries nothing, and the next request (full) may go at once.
     */
    boolean onResponse(FetchResponseData response) {
        Errors error = Errors.forCode(response.errorCode());
        if (error != Errors.NONE) {
            if (error == Errors.FETCH_SESSION_ID_NOT_FOUND) {
                sessionId = NO_SESSION;
            }
            reset();
            return !SESSION_ERRORS.contains(error);
        }
        if (response.sessionId() == NO_SESSION) {
            sessionId = NO_SESSION;
            reset();
            return true;
        }
        if (pendingFull) {
            sessionId = response.sessionId();
            epoch = 1;
        } else {
            epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        }
        sessionVersion = pendingVersion;
        inSession = pending;
        pending = Map.of();
        return true;
    }

    /** The last request failed or its answer was lost: the next one is full and closes the session. */
    void reset() {
        epoch = INITIAL_EPOCH;
        inSession = new LinkedHashMap<>();
        pending = Map.of();
    }

    int sessionId() {
        return sessionId;
    }

    int epoch() {
        return epoch;
    }
}
