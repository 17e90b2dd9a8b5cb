package io.millrace.server.replication;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchRequestData.ReplicaState;

/**
 * Builds a follower's fetch request for the given partitions: outside any fetch session
 * (session id 0, epoch -1; {@link FollowerFetchSession} sets the session's id and epoch),
 * read-uncommitted, identifying the follower by replica id (before v15) or by replica state
 * (replica id and broker epoch, v15+), naming topics by name (v12) or by id (v13+).
 *
 * <p>Stateless; thread-safe.
 */
public final class FetchRequests {
    /** The lowest Fetch version a follower uses: v12 brings lastFetchedEpoch and divergingEpoch (KIP-595). */
    public static final short MIN_FETCH_VERSION = 12;
    /** From this version topics are named by id. */
    public static final short TOPIC_ID_VERSION = 13;
    /** From this version the follower is named by replica state (replica id and broker epoch, KIP-903). */
    public static final short REPLICA_STATE_VERSION = 15;
    /** Fetch session id and epoch for a request outside any session (KIP-227: epoch -1 is the final epoch). */
    static final int NO_SESSION_ID = 0;
    static final int NO_SESSION_EPOCH = -1;

    private FetchRequests() {
    }

    public static FetchRequestData build(int nodeId, long brokerEpoch, ReplicaFetcherConfig config, short version,
                                         List<FetchPosition> positions) {
        if (version < MIN_FETCH_VERSION) {
            throw new IllegalArgumentException("Followers fetch at v" + MIN_FETCH_VERSION + "+, not v" + version);
        }
        FetchRequestData request = new FetchRequestData()
                .setMaxWaitMs(config.replicaFetchWaitMaxMs())
                .setMinBytes(config.replicaFetchMinBytes())
                .setMaxBytes(config.replicaFetchResponseMaxBytes())
                .setIsolationLevel((byte) 0)
                .setSessionId(NO_SESSION_ID)
                .setSessionEpoch(NO_SESSION_EPOCH);
        if (version >= REPLICA_STATE_VERSION) {
            request.setReplicaState(new ReplicaState().setReplicaId(nodeId).setReplicaEpoch(brokerEpoch));
        } else {
            request.setReplicaId(nodeId);
        }
        boolean byId = version >= TOPIC_ID_VERSION;
        Map<Object, FetchTopic> topics = new LinkedHashMap<>();
        for (FetchPosition p : positions) {
            String name = p.topicPartition().topic();
            Uuid id = p.topicId();
            FetchTopic topic = topics.computeIfAbsent(byId ? id : name,
                    k -> byId ? new FetchTopic().setTopicId(id) : new FetchTopic().setTopic(name));
            topic.partitions().add(new FetchPartition()
                    .setPartition(p.topicPartition().partition())
                    .setCurrentLeaderEpoch(p.currentLeaderEpoch())
                    .setFetchOffset(p.fetchOffset())
                    .setLastFetchedEpoch(p.lastFetchedEpoch())
                    .setLogStartOffset(p.logStartOffset())
                    .setPartitionMaxBytes(config.replicaFetchMaxBytes()));
        }
        request.topics().addAll(topics.values());
        return request;
    }
}
