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

    /**
     * Kafka quotes the record as its record classes print it: in place for an uncompressed batch
     * (sizes of absent keys and values as 0), skipping keys and values for a compressed one.
     */
    void logAppendTimeFromProducer(int index, boolean compressed, long offset, long timestamp, int keySize,
                                   int valueSize) {
        anyTimestamp = true;
        String record = compressed
                ? "PartialDefaultRecord(offset=" + offset + ", timestamp=" + timestamp + ", key=" + keySize
                        + " bytes, value=" + valueSize + " bytes)"
                : "DefaultRecord(offset=" + offset + ", timestamp=" + timestamp + ", key=" + Math.max(0, keySize)
                        + " bytes, value=" + Math.max(0, valueSize) + " bytes)";
        errors.add(new RecordError(index, "Invalid timestamp type in message " + record
                + ". Producer should not set timestamp type to LogAppendTime."));
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
