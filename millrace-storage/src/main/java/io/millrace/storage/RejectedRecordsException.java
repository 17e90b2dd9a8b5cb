package io.millrace.storage;

import java.util.List;
import org.apache.kafka.common.errors.ApiException;

/**
 * A batch rejected because of particular records (KIP-467): a record without a key on a compacted
 * log, a CreateTime timestamp outside message.timestamp.before/after.max.ms. Nothing of the append
 * was written. {@link #partitionError()} is what the partition answers (INVALID_TIMESTAMP when any
 * record's timestamp was out of range, else INVALID_RECORD) with its message as the partition's
 * {@code error_message}; {@link #recordErrors()} names every offending record of the batch, in
 * batch order.
 */
public final class RejectedRecordsException extends ApiException {
    private static final long serialVersionUID = 1L;

    private final transient ApiException partitionError;
    private final transient List<RecordError> recordErrors;

    RejectedRecordsException(ApiException partitionError, List<RecordError> recordErrors) {
        super(partitionError.getMessage());
        this.partitionError = partitionError;
        this.recordErrors = List.copyOf(recordErrors);
    }

    /** The error of the whole partition: an InvalidRecordException or an InvalidTimestampException. */
    public ApiException partitionError() {
        return partitionError;
    }

    /** Every offending record, by ascending batch index. */
    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
