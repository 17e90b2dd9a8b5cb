package io.millrace.storage;

import io.millrace.wire.batch.FileRegion;

/**
 * Whole record batches left in their segment file, starting with the batch that contains the
 * requested offset (see {@link PartitionLog#readFileRegion}).
 *
 * @param region         the batches' range of the segment file; null when nothing is readable yet
 * @param highWatermark  the log's high watermark when read
 * @param logStartOffset the log's start offset when read
 * @param logEndOffset   the log's end offset when read
 */
public record FileReadResult(FileRegion region, long highWatermark, long logStartOffset, long logEndOffset) {

    /** Bytes of batches in the region, 0 when there is none. */
    public int sizeInBytes() {
        return region == null ? 0 : region.size();
    }
}
