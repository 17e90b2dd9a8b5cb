package io.millrace.coordinator.runtime;

/**
 * Whose batch a coordinator write appends: the coordinator's own ({@link #NONE}), or a
 * transactional producer's (TxnOffsetCommit writes a producer's offsets as a transactional batch
 * of that producer, so they take effect at its COMMIT marker and vanish at ABORT). Kafka's
 * coordinator runtime carries the same three fields.
 */
public record BatchProducer(long producerId, short producerEpoch, boolean transactional) {
    /** The coordinator's own records: no producer. */
    public static final BatchProducer NONE = new BatchProducer(CoordinatorShard.NO_PRODUCER_ID,
            CoordinatorShard.NO_PRODUCER_EPOCH, false);

    public BatchProducer {
        if (transactional && producerId == CoordinatorShard.NO_PRODUCER_ID) {
            throw new IllegalArgumentException("A transactional batch needs a producer id");
        }
    }

    /** A batch of {@code producerId}'s transaction at {@code producerEpoch}. */
    public static BatchProducer transactional(long producerId, short producerEpoch) {
        return new BatchProducer(producerId, producerEpoch, true);
    }
}
