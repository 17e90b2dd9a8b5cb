package io.millrace.storage;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTimestampException;

/**
 * The offending records of one batch, collected while its records are checked; created only once
 * a record is found bad, so a valid batch costs nothing. Builds the exception Kafka answers with
 * (its LogValidator's partition-level messages, which clients show).
 *
 * <p>Not thread-safe: one per batch being checked.
 */
final class RecordErrors {
    private final List<RecordError> errors = new ArrayList<>();
    private boolean anyTimestamp;

    void keyless(int index, Object partition) {
        errors.add(new RecordError(index, "Compacted topic cannot accept message without key in topic partition "
                + partition));
    }

    void timestampOutOfRange(int index, long timestamp, long offset, long lowest, long highest) {
        anyTimestamp = true;
        errors.add(new RecordError(index, "Timestamp " + timestamp + " of message with offset " + offset
                + " is out of range. The timestamp should be within [" + lowest + ", " + highest + "]"));
    }

    RejectedRecordsException toException() {
        ApiException partitionError = anyTimestamp
                ? new InvalidTimestampException("One or more records have been rejected due to invalid timestamp")
                : new InvalidRecordException("One or more records have been rejected due to " + errors.size()
                        + " record errors in total, and only showing the first three errors at most: "
                        + errors.subList(0, Math.min(errors.size(), 3)));
        return new RejectedRecordsException(partitionError, errors);
    }
}
