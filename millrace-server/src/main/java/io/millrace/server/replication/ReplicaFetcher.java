package io.millrace.server.replication;

import io.millrace.common.Time;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Copies every partition this broker follows from one leader: a thread
 * ("replica-fetcher-LEADER") that sends one Fetch for all of them, waits for the answer and
 * applies it ({@link FollowerLogUpdate}), again and again.
 *
 * <p>Thread-safety: the partitions map is guarded by {@link #lock}. The fetcher thread builds
 * each request and applies each response under it, and sends without it; {@link #add} and
 * {@link #remove} take it too, so once {@code remove} returns the thread no longer touches that
 * partition: a response to a request that still named it is dropped. {@code remove} may wait for
 * one response being applied (disk writes), never for the network. While a partition is here its
 * log has no other writer.
 *
 * <p>Lifecycle: started by the constructor, stopped by {@link #shutdown} (the socket is closed,
 * so a fetch in flight ends at once), joined with {@link #awaitTermination}.
 */
final class ReplicaFetcher {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
    /** Errors a follower sees until the metadata moves the partition (new leader or epoch): logged at INFO. */
    private static final Set<Errors> EXPECTED_WHILE_LEADERSHIP_MOVES = EnumSet.of(Errors.NOT_LEADER_OR_FOLLOWER,
            Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH, Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.UNKNOWN_TOPIC_ID);

    private final int leaderId;
    private final int nodeId;
    private final LongSupplier brokerEpoch;
    private final IntFunction<Optional<InetSocketAddress>> addressOf;
    private final ReplicaFetcherConfig config;
    private final Time time;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by lock. */
    private final Map<TopicPartition, FollowerState> partitions = new LinkedHashMap<>();
    /** Guarded by lock: no fetch at all before this time (the leader could not be reached). */
    private long pausedUntilMs;
    private volatile boolean running = true;
    /** Written by the fetcher thread; closed by {@link #shutdown} from any thread. */
    private volatile NodeConnection connection;
    /** Fetcher thread only: the current outage was logged. */
    private boolean outageLogged;
    /** Fetcher thread only: the incremental fetch session with the leader (KIP-227). */
    private final FollowerFetchSession session = new FollowerFetchSession();

    ReplicaFetcher(int leaderId, int nodeId, LongSupplier brokerEpoch,
                   IntFunction<Optional<InetSocketAddress>> addressOf, ReplicaFetcherConfig config, Time time) {
        this.leaderId = leaderId;
        this.nodeId = nodeId;
        this.brokerEpoch = brokerEpoch;
        this.addressOf = addressOf;
        this.config = config;
        this.time = time;
        this.thread = Thread.ofPlatform().name("replica-fetcher-" + leaderId).daemon(true).unstarted(this::run);
        thread.start();
    }

    int leaderId() {
        return leaderId;
    }

    /** Starts (or, at a new epoch or with a new log, restarts) following a partition. */
    void add(FollowedLog followed, int leaderEpoch) {
        lock.lock();
        try {
            FollowerState current = partitions.get(followed.topicPartition());
            if (current != null && current.followed.log() == followed.log() && current.leaderEpoch == leaderEpoch) {
                return;
            }
            partitions.put(followed.topicPartition(), new FollowerState(followed, leaderEpoch));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops following {@code tp}; returns true when no partition is left. */
    boolean remove(TopicPartition tp) {
        lock.lock();
        try {
            partitions.remove(tp);
            return partitions.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    List<TopicPartition> partitions() {
        lock.lock();
        try {
            return List.copyOf(partitions.keySet());
        } finally {
            lock.unlock();
        }
    }

    void shutdown() {
        running = false;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        NodeConnection current = connection;
        if (current != null) {
            current.close();
        }
    }

    boolean awaitTermination(long timeoutMs) throws InterruptedException {
        return thread.join(Duration.ofMillis(timeoutMs));
    }

    private void run() {
        try {
            while (running) {
                Map<TopicPartition, Sent> batch = awaitReadyPartitions();
                if (batch == null) {
                    break;
                }
                try {
                    fetchOnce(batch);
                } catch (RuntimeException e) {
                    log.error("Replica fetcher for leader {}: unexpected error; retrying", leaderId, e);
                    closeConnection();
                    backOff(batch, e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            log.error("Replica fetcher for leader {} stopped on an unexpected error", leaderId, e);
            throw e;
        } finally {
            closeConnection();
        }
    }

    /** A partition named in the request in flight: its state then and what was asked. */
    private record Sent(FollowerState state, FetchPosition position) {
    }

    /** Waits until some partition may be fetched; null on shutdown. */
    private Map<TopicPartition, Sent> awaitReadyPartitions() throws InterruptedException {
        lock.lock();
        try {
            while (running) {
                long now = time.milliseconds();
                long waitMs = pausedUntilMs - now;
                if (waitMs <= 0) {
                    Map<TopicPartition, Sent> ready = new LinkedHashMap<>();
                    waitMs = Long.MAX_VALUE;
                    for (FollowerState state : partitions.values()) {
                        if (state.backoffUntilMs <= now) {
                            ready.put(state.followed.topicPartition(), new Sent(state, state.position()));
                        } else {
                            waitMs = Math.min(waitMs, state.backoffUntilMs - now);
                        }
                    }
                    if (!ready.isEmpty()) {
                        return ready;
                    }
                }
                if (waitMs == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.await(waitMs, TimeUnit.MILLISECONDS);
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void fetchOnce(Map<TopicPartition, Sent> batch) throws InterruptedException {
        NodeConnection conn = connection();
        if (conn == null) {
            return;
        }
        FetchResponseData response;
        short version;
        try {
            version = conn.versionFor(ApiKeys.FETCH, FetchRequests.MIN_FETCH_VERSION);
            List<FetchPosition> positions = batch.values().stream().map(Sent::position).toList();
            FetchRequestData request = session.build(nodeId, brokerEpoch.getAsLong(), config, version, positions);
            response = conn.send(ApiKeys.FETCH, version, request,
                    config.socketTimeoutMs() + config.replicaFetchWaitMaxMs());
        } catch (IOException | UnsupportedVersionException e) {
            if (running) {
                onUnreachable(conn.address(), e);
            }
            return;
        }
        if (!session.onResponse(response)) {
            return; // a session error: the next fetch, full, goes at once
        }
        if (response.errorCode() != Errors.NONE.code()) {
            backOff(batch, "the fetch failed: " + Errors.forCode(response.errorCode()));
            return;
        }
        apply(batch, response, version);
    }

    /** The open connection, connecting first when needed; null (and paused) when the leader cannot be reached. */
    private NodeConnection connection() throws InterruptedException {
        NodeConnection current = connection;
        if (current != null) {
            return current;
        }
        Optional<InetSocketAddress> address = Objects.requireNonNullElse(addressOf.apply(leaderId), Optional.empty());
        if (address.isEmpty()) {
            onUnreachable(null, null);
            return null;
        }
        try {
            current = NodeConnection.open(address.get(), "millrace-replica-" + nodeId, config.socketTimeoutMs(),
                    config.socketTimeoutMs(), config.security());
        } catch (IOException | RuntimeException e) {
            onUnreachable(address.get(), e);
            return null;
        }
        connection = current;
        if (!running) {
            current.close();
            return null;
        }
        if (outageLogged) {
            log.info("Replica fetcher for leader {}: connected to {} again", leaderId, address.get());
            outageLogged = false;
        }
        return current;
    }

    private void onUnreachable(InetSocketAddress address, Exception cause) {
        closeConnection();
        if (!outageLogged) {
            outageLogged = true;
            if (address == null) {
                log.warn("Replica fetcher for leader {}: its address is not known yet; retrying", leaderId);
            } else if (cause instanceof InterBrokerAuthenticationException) {
                log.debug("Replica fetcher for leader {}: {}; retrying", leaderId, cause.getMessage());
            } else {
                log.warn("Replica fetcher for leader {}: cannot reach {} ({}); retrying", leaderId, address,
                        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            }
        }
        lock.lock();
        try {
            pausedUntilMs = time.milliseconds() + config.replicaFetchBackoffMs();
        } finally {
            lock.unlock();
        }
    }

    private void closeConnection() {
        session.reset();
        NodeConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    private void backOff(Map<TopicPartition, Sent> batch, String problem) {
        lock.lock();
        try {
            long until = time.milliseconds() + config.replicaFetchBackoffMs();
            for (Map.Entry<TopicPartition, Sent> e : batch.entrySet()) {
                FollowerState state = e.getValue().state();
                if (partitions.get(e.getKey()) == state) {
                    state.backoffUntilMs = until;
                    if (state.problemChanged(problem)) {
                        log.warn("Replica fetcher for leader {}: {} backs off: {}", leaderId, e.getKey(), problem);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void apply(Map<TopicPartition, Sent> batch, FetchResponseData response, short version) {
        Map<Object, String> topicNames = new HashMap<>();
        for (Sent sent : batch.values()) {
            topicNames.put(sent.position().topicId(), sent.position().topicPartition().topic());
        }
        List<Map.Entry<TopicPartition, PartitionData>> answers = new ArrayList<>();
        for (FetchableTopicResponse topic : response.responses()) {
            String name = version >= FetchRequests.TOPIC_ID_VERSION ? topicNames.get(topic.topicId()) : topic.topic();
            if (name == null) {
                continue;
            }
            for (PartitionData data : topic.partitions()) {
                answers.add(Map.entry(new TopicPartition(name, data.partitionIndex()), data));
            }
        }
        lock.lock();
        try {
            for (Map.Entry<TopicPartition, PartitionData> answer : answers) {
                Sent sent = batch.get(answer.getKey());
                if (sent != null && partitions.get(answer.getKey()) == sent.state()) {
                    applyOne(sent, answer.getValue());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock, for a partition still followed as it was when the request was built. */
    private void applyOne(Sent sent, PartitionData data) {
        FollowerState state = sent.state();
        FollowerLogUpdate.Result result;
        String problem;
        try {
            result = FollowerLogUpdate.apply(state.followed.log(), sent.position(), data, leaderId);
            problem = result == FollowerLogUpdate.Result.BACK_OFF ? Errors.forCode(data.errorCode()).name() : null;
        } catch (RuntimeException e) {
            result = FollowerLogUpdate.Result.BACK_OFF;
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (result == FollowerLogUpdate.Result.CONTINUE) {
            state.clearProblem();
            return;
        }
        state.backoffUntilMs = time.milliseconds() + config.replicaFetchBackoffMs();
        if (state.problemChanged(problem)) {
            boolean leadershipMoving = EXPECTED_WHILE_LEADERSHIP_MOVES.contains(Errors.forCode(data.errorCode()));
            log.atLevel(leadershipMoving ? Level.INFO : Level.WARN).log(
                    "Replica fetcher for leader {}: {} at leader epoch {} backs off: {}", leaderId,
                    sent.position().topicPartition(), state.leaderEpoch, problem);
        }
    }

    @Override
    public String toString() {
        return "ReplicaFetcher(leader " + leaderId + ")";
    }
}
