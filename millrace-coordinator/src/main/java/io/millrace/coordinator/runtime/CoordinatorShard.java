package io.millrace.coordinator.runtime;

import io.millrace.common.Time;

/**
 * The state of one coordinator partition. Lives on the shard's owner thread only: the runtime
 * calls every method there, so implementations need no locks.
 *
 * <p>Lifecycle: built by a {@link Factory} when this node takes the partition over, fed every
 * record of the partition through {@link #replay}, told {@link #onLoaded()}, then serves write
 * and read operations (whose records come back through {@link #replay} once appended) until
 * {@link #onUnloaded()}.
 */
public interface CoordinatorShard {

    /** Applies one record, loaded from the log or just appended. The only way durable state changes. */
    void replay(CoordinatorRecord record);

    /** Every record of the partition has been replayed; the shard serves from now on. */
    default void onLoaded() {
    }

    /** The partition is no longer served here: fail whatever still waits, drop timers. */
    default void onUnloaded() {
    }

    /** What a shard is given when it is built. */
    record Context(int partition, CoordinatorTimer timer, Time time) {
    }

    /** Builds the shard of one partition. */
    @FunctionalInterface
    interface Factory<S extends CoordinatorShard> {
        S create(Context context);
    }
}
