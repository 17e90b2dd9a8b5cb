package io.millrace.coordinator.runtime;

import java.util.List;

/**
 * What a coordinator write operation decided: the records to append, whose batch they form
 * ({@link BatchProducer#NONE} unless a transactional producer's), and the response to give once
 * they are appended. The operation itself changes no state: the records, replayed, do.
 */
public record CoordinatorResult<T>(List<CoordinatorRecord> records, T response, BatchProducer producer) {
    public CoordinatorResult {
        records = List.copyOf(records);
    }

    /** Records of the coordinator itself. */
    public CoordinatorResult(List<CoordinatorRecord> records, T response) {
        this(records, response, BatchProducer.NONE);
    }

    public static <T> CoordinatorResult<T> of(T response) {
        return new CoordinatorResult<>(List.of(), response);
    }

    /** Records written as one transactional batch of {@code producerId} at {@code producerEpoch}. */
    public static <T> CoordinatorResult<T> transactional(List<CoordinatorRecord> records, T response, long producerId,
                                                         short producerEpoch) {
        return new CoordinatorResult<>(records, response, BatchProducer.transactional(producerId, producerEpoch));
    }
}
