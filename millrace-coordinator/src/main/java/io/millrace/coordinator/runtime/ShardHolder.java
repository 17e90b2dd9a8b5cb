package io.millrace.coordinator.runtime;

/**
 * One partition's shard and its status. {@code shard} and {@code timer} are touched only on the
 * partition's owner thread after loading; {@code status} is read by any thread.
 */
final class ShardHolder<S extends CoordinatorShard> {
    enum Status { LOADING, ACTIVE, FAILED, CLOSED }

    final int partition;
    volatile Status status = Status.LOADING;
    S shard;
    ShardTimer timer;

    ShardHolder(int partition) {
        this.partition = partition;
    }
}
