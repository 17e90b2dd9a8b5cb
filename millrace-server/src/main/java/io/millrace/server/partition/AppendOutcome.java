package io.millrace.server.partition;

import io.millrace.storage.AppendResult;
import io.millrace.storage.RecordError;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * The result of appending to one partition: an error, or what the log did.
 *
 * @param recordErrors when the log rejected the batch because of particular records (KIP-467),
 *                     each of them by batch index; otherwise empty
 */
public record AppendOutcome(Errors error, String message, AppendResult result, List<RecordError> recordErrors) {

    public AppendOutcome(Errors error, String message, AppendResult result) {
        this(error, message, result, List.of());
    }

    static AppendOutcome failed(Errors error, String message) {
        return new AppendOutcome(error, message, null);
    }
}
