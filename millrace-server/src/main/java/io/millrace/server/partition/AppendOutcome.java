package io.millrace.server.partition;

import io.millrace.storage.AppendResult;
import org.apache.kafka.common.protocol.Errors;

/** The result of appending to one partition: an error, or what the log did. */
public record AppendOutcome(Errors error, String message, AppendResult result) {
    static AppendOutcome failed(Errors error, String message) {
        return new AppendOutcome(error, message, null);
    }
}
