package io.millrace.server.replication;

import io.millrace.common.Time;
import io.millrace.server.partition.FollowerFetching;
import io.millrace.server.partition.Partition;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of replication: one {@link ReplicaFetcher} (thread "replica-fetcher-LEADER")
 * per leader broker this node follows partitions of, created on the first partition and stopped
 * when its last partition leaves. Kafka's {@code num.replica.fetchers} is not used: one fetcher
 * per leader.
 *
 * <p>Thread-safety: {@link #follow}, {@link #unfollow} and {@link #close} are synchronized (the
 * metadata thread calls the first two). {@link #unfollow} returns once the partition's fetcher no
 * longer touches its log (it may wait for one response being applied, never for the network).
 *
 * <p>Lifecycle: ready when constructed; {@link #close} stops every fetcher and waits for them.
 */
public final class ReplicaFetcherManager implements FollowerFetching, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcherManager.class);
    private static final long SHUTDOWN_WAIT_MS = 10_000;

    private final int nodeId;
    private final LongSupplier brokerEpoch;
    private final IntFunction<Optional<InetSocketAddress>> addressOf;
    private final ReplicaFetcherConfig config;
    private final Time time;
    /** Guarded by this. */
    private final Map<Integer, ReplicaFetcher> fetchers = new TreeMap<>();
    /** Guarded by this: the leader each followed partition is fetched from. */
    private final Map<TopicPartition, Integer> leaderOf = new HashMap<>();
    private boolean closed;

    /**
     * @param nodeId      this broker's id (the replica id in fetches)
     * @param brokerEpoch this broker's current epoch from its registration (the replica epoch in Fetch v15+)
     * @param addressOf   a broker's inter-broker listener address, empty while unknown; asked at every (re)connect
     */
    public ReplicaFetcherManager(int nodeId, LongSupplier brokerEpoch,
                                 IntFunction<Optional<InetSocketAddress>> addressOf, ReplicaFetcherConfig config,
                                 Time time) {
        this.nodeId = nodeId;
        this.brokerEpoch = brokerEpoch;
        this.addressOf = addressOf;
        this.config = config;
        this.time = time;
    }

    @Override
    public void follow(Partition partition, int leaderId, int leaderEpoch) {
        follow(FollowedLog.of(partition), leaderId, leaderEpoch);
    }

    synchronized void follow(FollowedLog partition, int leaderId, int leaderEpoch) {
        if (closed) {
            throw new IllegalStateException("The replica fetcher manager is closed");
        }
        if (leaderId == nodeId || leaderId < 0) {
            throw new IllegalArgumentException("Broker " + nodeId + " cannot follow " + partition.topicPartition()
                    + " from leader " + leaderId);
        }
        TopicPartition tp = partition.topicPartition();
        Integer previous = leaderOf.put(tp, leaderId);
        if (previous != null && previous != leaderId) {
            removeFrom(previous, tp);
        }
        ReplicaFetcher fetcher = fetchers.get(leaderId);
        if (fetcher == null) {
            fetcher = new ReplicaFetcher(leaderId, nodeId, brokerEpoch, addressOf, config, time);
            fetchers.put(leaderId, fetcher);
            log.info("Started the replica fetcher for leader {}", leaderId);
        }
        fetcher.add(partition, leaderEpoch);
        log.debug("Following {} from leader {} at epoch {}", tp, leaderId, leaderEpoch);
    }

    @Override
    public synchronized void unfollow(TopicPartition tp) {
        Integer leaderId = leaderOf.remove(tp);
        if (leaderId != null) {
            removeFrom(leaderId, tp);
            log.debug("Stopped following {} from leader {}", tp, leaderId);
        }
    }

    /** The partitions followed, and from which leader. */
    public synchronized Map<TopicPartition, Integer> followed() {
        return Map.copyOf(leaderOf);
    }

    /** The leaders that have a running fetcher. */
    public synchronized Set<Integer> fetcherLeaders() {
        return Set.copyOf(fetchers.keySet());
    }

    private void removeFrom(int leaderId, TopicPartition tp) {
        ReplicaFetcher fetcher = fetchers.get(leaderId);
        if (fetcher != null && fetcher.remove(tp)) {
            fetchers.remove(leaderId);
            fetcher.shutdown();
            log.info("Stopped the replica fetcher for leader {}: no partition left to follow", leaderId);
        }
    }

    /** Stops every fetcher and waits (up to 10 s each) for their threads to end. */
    @Override
    public void close() {
        List<ReplicaFetcher> stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = List.copyOf(fetchers.values());
            fetchers.clear();
            leaderOf.clear();
        }
        stopping.forEach(ReplicaFetcher::shutdown);
        for (ReplicaFetcher fetcher : stopping) {
            try {
                if (!fetcher.awaitTermination(SHUTDOWN_WAIT_MS)) {
                    log.warn("{} did not stop within {} ms", fetcher, SHUTDOWN_WAIT_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
