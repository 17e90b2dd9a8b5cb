package io.millrace.coordinator.group;

import java.util.concurrent.atomic.LongAdder;

/**
 * Rebalances counted by the group coordinator, per kind of group, as Kafka's
 * {@code group-coordinator-metrics} count them ({@code consumer-group-rebalance-count},
 * {@code streams-group-rebalance-count}, {@code share-group-rebalance-count}): one for each bump
 * of a group's epoch that a change of membership, of a subscription (a streams group's topology,
 * a member's process or tags) or of the subscribed topics caused, which is what starts a new
 * target assignment. A KIP-848 group's epoch is also bumped when a member leaves or its session
 * expires (Kafka bumps it there too, but counts only the heartbeat's bumps): counted here as well,
 * since the remaining members get a new assignment. A streams group's delayed assignment taking
 * an epoch of its own is not a second rebalance.
 *
 * <p>Counted by the write operation that writes the epoch record, on the leader of the group's
 * partition only (not when a shard is loaded by replay); a write whose append then fails was
 * counted all the same, as in Kafka. Plain counters (the coordinator module sees no metrics
 * library): the server reads them when {@code /metrics} is scraped. Thread-safe: incremented on
 * the shards' threads, read on any.
 */
public final class GroupRebalances {
    private final LongAdder consumer = new LongAdder();
    private final LongAdder streams = new LongAdder();
    private final LongAdder share = new LongAdder();

    /** KIP-848 consumer group rebalances. */
    public LongAdder consumer() {
        return consumer;
    }

    /** KIP-1071 streams group rebalances. */
    public LongAdder streams() {
        return streams;
    }

    /** KIP-932 share group rebalances. */
    public LongAdder share() {
        return share;
    }
}
