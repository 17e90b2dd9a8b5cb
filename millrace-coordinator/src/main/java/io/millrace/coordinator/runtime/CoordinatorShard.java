package io.millrace.coordinator.runtime;

import io.millrace.common.Time;

/**
 * The state of one coordinator partition. Lives on the shard's owner thread only: the runtime
 * calls every method there, so implementations need no locks.
 *
 * <p>Lifecycle: built by a {@link Factory} when this node takes the partition over, fed every
 * record of the partition through {@link #replay} (and every transaction marker through
 * {@link #replayEndTransactionMarker}), told {@link #onLoaded()}, then serves write and read
 * operations until {@link #onUnloaded()}. A write operation returns records plus a response and
 * changes no durable state; the runtime appends the records and replays them at once, before
 * they are committed. What a write operation changes besides (transient state, timers) it must
 * register with the {@link WriteJournal}, which undoes it when the append fails.
 */
public interface CoordinatorShard {
    /** The producer id of records a coordinator wrote itself, outside any transaction. */
    long NO_PRODUCER_ID = -1L;
    short NO_PRODUCER_EPOCH = -1;

    /**
     * Applies one record, loaded from the log or just appended. The only way durable state changes.
     *
     * @param offset        the record's offset in the partition
     * @param producerId    {@link #NO_PRODUCER_ID}, or the transactional producer that wrote it: the
     *                      record then takes effect only at its transaction's COMMIT marker
     * @param producerEpoch that producer's epoch, or {@link #NO_PRODUCER_EPOCH}
     */
    void replay(long offset, long producerId, short producerEpoch, CoordinatorRecord record);

    /** Applies a COMMIT or ABORT marker of {@code producerId}'s transaction. */
    default void replayEndTransactionMarker(long offset, long producerId, short producerEpoch,
                                            TransactionMarker marker) {
    }

    /** Every record of the partition has been replayed; the shard serves from now on. */
    default void onLoaded() {
    }

    /** The partition is no longer served here: fail whatever still waits, drop timers. */
    default void onUnloaded() {
    }

    /** What a shard is given when it is built. */
    record Context(int partition, CoordinatorTimer timer, Time time, WriteJournal journal) {
        /** A context outside any runtime (tests): side effects happen at once, nothing is undone. */
        public Context(int partition, CoordinatorTimer timer, Time time) {
            this(partition, timer, time, new WriteJournal());
        }
    }

    /** Builds the shard of one partition. */
    @FunctionalInterface
    interface Factory<S extends CoordinatorShard> {
        S create(Context context);
    }
}
