package io.millrace.storage;

import java.nio.ByteBuffer;

/**
 * Whole record batches read from a log, starting with the batch that contains the requested
 * offset.
 *
 * @param records        the batches, as stored; empty when nothing is readable yet
 * @param highWatermark  the log's high watermark when read
 * @param logStartOffset the log's start offset when read
 * @param logEndOffset   the log's end offset when read
 */
public record ReadResult(ByteBuffer records, long highWatermark, long logStartOffset, long logEndOffset) {
}
