package io.millrace.coordinator.runtime;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a coordinator shard's records become durable: its {@code __consumer_offsets} partition.
 * The server implements it over its partition logs; tests use an in-memory list.
 *
 * <p>Thread-safety: called from the owner thread of each shard, so never twice at once for one
 * partition, but concurrently for different partitions.
 */
public interface CoordinatorLog {

    /**
     * Appends {@code records} to {@code partition} as one batch and returns once they are
     * committed. On a single node that is at once; with replication it means the high watermark
     * has passed them (see {@link CoordinatorRuntime} on what replication changes).
     *
     * @throws org.apache.kafka.common.errors.ApiException the coordinator error to answer: NOT_COORDINATOR
     *         when this node no longer leads the partition, COORDINATOR_NOT_AVAILABLE when it
     *         cannot be written, INVALID_COMMIT_OFFSET_SIZE when the batch is too large
     */
    void append(int partition, List<CoordinatorRecord> records);

    /** Reads every committed record of {@code partition} from the log start, in order. */
    void readAll(int partition, Consumer<CoordinatorRecord> sink);
}
