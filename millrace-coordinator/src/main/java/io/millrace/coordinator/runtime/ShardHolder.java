package io.millrace.coordinator.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * One partition's shard and its status. {@code shard}, {@code timer}, {@code journal} and
 * {@code lastAppendDone} are touched only on the partition's owner thread after loading;
 * {@code status} is read by any thread.
 */
final class ShardHolder<S extends CoordinatorShard> {
    enum Status { LOADING, ACTIVE, FAILED, CLOSED }

    final int partition;
    final WriteJournal journal = new WriteJournal();
    volatile Status status = Status.LOADING;
    S shard;
    ShardTimer timer;
    /**
     * Completes (never exceptionally) once the latest append's commit is decided: what a read or
     * a write without records waits for, so no answer reflects records that are not yet committed.
     */
    CompletableFuture<Void> lastAppendDone = CompletableFuture.completedFuture(null);

    ShardHolder(int partition) {
        this.partition = partition;
    }
}
