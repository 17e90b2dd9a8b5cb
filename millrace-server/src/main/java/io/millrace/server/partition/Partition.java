package io.millrace.server.partition;

import io.millrace.metadata.records.PartitionRecord;
import io.millrace.storage.PartitionLog;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A partition hosted on this broker: its log plus the replica state the metadata gives it.
 *
 * <p>Thread-safety: the state is swapped whole (volatile) by the metadata thread; appends and
 * reads go to the thread-safe log. Waiting fetches use {@link #dataArrived()}: a future that
 * completes at the next advance of the high watermark and is then replaced.
 */
public final class Partition {
    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog log;
    private volatile PartitionRecord state;
    private volatile int minInsyncReplicas;
    private final Object signalLock = new Object();
    private CompletableFuture<Void> dataArrived = new CompletableFuture<>();

    Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, PartitionRecord state,
              int minInsyncReplicas) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.state = state;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return log;
    }

    public PartitionRecord state() {
        return state;
    }

    void updateState(PartitionRecord state, int minInsyncReplicas) {
        this.state = state;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    public int leaderEpoch() {
        return state.leaderEpoch();
    }

    public int leader() {
        return state.leader();
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** Completes when the high watermark next advances. */
    public CompletableFuture<Void> dataArrived() {
        synchronized (signalLock) {
            return dataArrived;
        }
    }

    /** Wakes every fetch waiting on this partition. */
    void signalDataArrived() {
        CompletableFuture<Void> arrived;
        synchronized (signalLock) {
            arrived = dataArrived;
            dataArrived = new CompletableFuture<>();
        }
        arrived.complete(null);
    }
}
