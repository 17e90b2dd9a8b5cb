package io.millrace.coordinator.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds what a load reads into a shard, counting the records; a record the shard cannot replay
 * is skipped, loudly, so one bad record does not cost the whole partition. Used on the owner
 * thread by one load; not thread-safe.
 */
final class ShardLoadSink implements CoordinatorLog.RecordSink {
    private static final Logger log = LoggerFactory.getLogger(ShardLoadSink.class);

    private final CoordinatorShard shard;
    private final int partition;
    private long count;

    ShardLoadSink(CoordinatorShard shard, int partition) {
        this.shard = shard;
        this.partition = partition;
    }

    @Override
    public void record(long offset, long producerId, short producerEpoch, CoordinatorRecord record) {
        try {
            shard.replay(offset, producerId, producerEpoch, record);
            count++;
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable record of key type {} at offset {} of coordinator partition {}: {}",
                    record.keyType(), offset, partition, e.toString());
        }
    }

    @Override
    public void endTransactionMarker(long offset, long producerId, short producerEpoch, TransactionMarker marker) {
        try {
            shard.replayEndTransactionMarker(offset, producerId, producerEpoch, marker);
            count++;
        } catch (RuntimeException e) {
            log.warn("Skipping the {} marker of producer {} at offset {} of coordinator partition {}: {}", marker,
                    producerId, offset, partition, e.toString());
        }
    }

    long count() {
        return count;
    }
}
