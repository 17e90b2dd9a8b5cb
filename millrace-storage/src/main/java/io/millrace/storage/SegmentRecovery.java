package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.io.IOException;

/**
 * Checks a segment's log file batch by batch and rebuilds its indexes from what it finds.
 * Used after an unclean shutdown (on the active segment), for any segment whose index files
 * are missing or implausible, and after truncation.
 *
 * <p>A batch is accepted when its declared length fits the file, its magic is 2, its offsets
 * follow the previous batch's and (when verifying) its CRC matches. The file is cut at the first
 * batch that fails, so a torn or corrupt tail is dropped and nothing before it is lost.
 *
 * <p>Stateless; callers hold the log's append lock (or own the log exclusively while opening).
 */
final class SegmentRecovery {

    /**
     * What a scan found.
     *
     * @param validBytes     bytes of good batches kept
     * @param truncatedBytes bytes cut from the end of the file
     * @param nextOffset     the offset after the last good batch (the base offset when none)
     * @param batches        good batches
     * @param problem        why the file was cut, or null when it was not
     * @param zeroTail       the cut bytes start with zeros, as preallocated space does
     */
    record Result(int validBytes, int truncatedBytes, long nextOffset, int batches, String problem,
                  boolean zeroTail) {
        boolean truncated() {
            return truncatedBytes > 0;
        }
    }

    private SegmentRecovery() {
    }

    /**
     * Scans the whole segment file, cuts it at the first bad batch and rebuilds both indexes.
     *
     * @param verifyCrc check every batch's CRC (recovery), or only lengths, magic and offsets
     *                  (index rebuild after a truncation of data already verified)
     */
    static Result recover(LogSegment segment, boolean verifyCrc) throws IOException {
        long fileSize = segment.channel().size();
        segment.resetIndexes();
        FileBatchCursor cursor = new FileBatchCursor(segment.channel(), 0, fileSize);
        long nextOffset = segment.baseOffset();
        int batches = 0;
        String problem = null;
        boolean zeroTail = false;
        while (problem == null) {
            FileBatchCursor.Step step = cursor.next();
            if (step == FileBatchCursor.Step.END) {
                break;
            }
            problem = switch (step) {
                case INCOMPLETE -> "the last batch is incomplete (a write cut short)";
                case INVALID_LENGTH -> {
                    zeroTail = cursor.header().batchLength() == 0 && cursor.header().baseOffset() == 0;
                    yield "a batch declares an impossible length " + cursor.header().batchLength();
                }
                default -> check(cursor, nextOffset, verifyCrc);
            };
            if (problem == null) {
                RecordBatchHeader header = cursor.header();
                segment.onBatchWritten((int) cursor.position(), header.baseOffset(), header.sizeInBytes(),
                        header.maxTimestamp());
                nextOffset = header.nextOffset();
                batches++;
            }
        }
        int validBytes = (int) (problem == null ? fileSize : cursor.position());
        if (validBytes < fileSize) {
            segment.truncateFileTo(validBytes);
        } else {
            segment.setSize(validBytes);
        }
        return new Result(validBytes, (int) (fileSize - validBytes), nextOffset, batches, problem, zeroTail);
    }

    private static String check(FileBatchCursor cursor, long expectedAtLeast, boolean verifyCrc) throws IOException {
        RecordBatchHeader header = cursor.header();
        if (header.magic() != RecordBatchHeader.MAGIC_V2) {
            return "a batch has magic " + header.magic() + " instead of 2";
        }
        if (header.baseOffset() < expectedAtLeast || header.lastOffsetDelta() < 0) {
            return "a batch's offsets " + header.baseOffset() + ".." + header.lastOffset()
                    + " do not follow the previous batch's (expected from " + expectedAtLeast + ")";
        }
        if (verifyCrc && !cursor.loadWholeBatch().isCrcValid()) {
            return "a batch at offset " + header.baseOffset() + " fails its CRC check";
        }
        return null;
    }
}
