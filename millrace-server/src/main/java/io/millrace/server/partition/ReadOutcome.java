package io.millrace.server.partition;

import io.millrace.storage.FileReadResult;
import org.apache.kafka.common.protocol.Errors;

/**
 * The result of reading one partition. On OFFSET_OUT_OF_RANGE the offsets are still filled in
 * so the client can reset.
 */
public record ReadOutcome(Errors error, FileReadResult result, long highWatermark, long logStartOffset) {
}
