package io.millrace.coordinator.runtime;

/**
 * What the server's view of a coordinator's topic drives: which key belongs to which partition,
 * and which partitions this node serves. Every coordinator (groups now, transactions next)
 * implements it, so hosting one more coordinator is a topic description and a few lines of wiring.
 *
 * <p>Thread-safety: implementations are thread-safe; the leadership calls come from the metadata
 * thread, in the order this node gains and loses leadership.
 */
public interface CoordinatorPartitions {

    /** The partition of the coordinator's topic that owns {@code key} (a group id, a transactional id). */
    int partitionFor(String key);

    /** The partition count of the existing topic, which wins over the configured one (it is never resized). */
    void useNumPartitions(int partitions);

    /** This node now leads {@code partition}: load it. */
    void onElection(int partition);

    /** This node no longer leads {@code partition}: unload it. */
    void onResignation(int partition);
}
