package io.millrace.coordinator.txn;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a transaction request decided: the metadata values to write (in order; empty when nothing
 * changes), the error and producer id/epoch to answer once they are committed, whether markers
 * must then be written for the last value, and whether the decision needs a fresh producer id
 * first (the caller allocates one and asks again). Immutable.
 */
public record Transition(List<TransactionMetadata> writes, Errors error, long producerId, short producerEpoch,
                         boolean writeMarkers, boolean needsProducerId) {
    public Transition {
        writes = List.copyOf(writes);
    }

    /** The last value written: the one whose markers {@link #writeMarkers} means. */
    public TransactionMetadata lastWrite() {
        return writes.get(writes.size() - 1);
    }

    /** Nothing written; answer {@code error} (with no producer id). */
    public static Transition fail(Errors error) {
        return new Transition(List.of(), error, TransactionMetadata.NO_PRODUCER_ID, TransactionMetadata.NO_PRODUCER_EPOCH,
                false, false);
    }

    /** Nothing written; answer NONE with the given producer id and epoch (a retry). */
    public static Transition answer(long producerId, short producerEpoch) {
        return new Transition(List.of(), Errors.NONE, producerId, producerEpoch, false, false);
    }

    public static Transition write(TransactionMetadata next, long producerId, short producerEpoch) {
        return new Transition(List.of(next), Errors.NONE, producerId, producerEpoch, false, false);
    }

    /** Writes {@code prepared} (PREPARE_COMMIT or PREPARE_ABORT), then its markers once committed. */
    public static Transition prepare(TransactionMetadata prepared, Errors error, long producerId, short producerEpoch) {
        return new Transition(List.of(prepared), error, producerId, producerEpoch, true, false);
    }

    public static Transition needProducerId() {
        return new Transition(List.of(), Errors.NONE, TransactionMetadata.NO_PRODUCER_ID,
                TransactionMetadata.NO_PRODUCER_EPOCH, false, true);
    }
}
