package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Steps through the record batches of a segment file between two byte positions, reading the
 * file in blocks so that scanning many batch headers costs few system calls. Each step exposes
 * the batch's header in place ({@link #header()}); {@link #loadWholeBatch()} brings the rest of
 * the batch into the block when the caller needs its records or CRC.
 *
 * <p>Not thread-safe: one cursor per scan. Many cursors may read the same channel at once
 * (positional reads only).
 */
final class FileBatchCursor {

    /** What {@link #next()} found at the current position. */
    enum Step {
        /** A batch whose header and declared length fit before the end. */
        BATCH,
        /** No bytes left. */
        END,
        /** Fewer bytes left than a header, or than the batch's declared length: a torn write. */
        INCOMPLETE,
        /** A declared length too small for a batch header (zero padding or garbage). */
        INVALID_LENGTH
    }

    static final int DEFAULT_BLOCK_SIZE = 64 * 1024;

    private final FileChannel channel;
    private final long end;
    private final RecordBatchHeader header = new RecordBatchHeader();
    private ByteBuffer block;
    private long blockStart;
    private int blockLength;
    private long position;
    private long nextPosition;

    FileBatchCursor(FileChannel channel, long start, long end, int blockSize) {
        this.channel = channel;
        this.end = end;
        this.block = ByteBuffer.allocate(blockSize);
        this.nextPosition = start;
        this.blockStart = start;
        this.blockLength = 0;
    }

    FileBatchCursor(FileChannel channel, long start, long end) {
        this(channel, start, end, DEFAULT_BLOCK_SIZE);
    }

    /** Moves to the next batch and says what is there. */
    Step next() throws IOException {
        position = nextPosition;
        long remaining = end - position;
        if (remaining <= 0) {
            return Step.END;
        }
        if (remaining < RecordBatchHeader.HEADER_SIZE) {
            return Step.INCOMPLETE;
        }
        ensureLoaded(position, RecordBatchHeader.HEADER_SIZE);
        header.wrap(block, (int) (position - blockStart));
        int batchLength = header.batchLength();
        if (batchLength < RecordBatchHeader.MIN_BATCH_LENGTH) {
            return Step.INVALID_LENGTH;
        }
        long size = RecordBatchHeader.LOG_OVERHEAD + (long) batchLength;
        if (size > remaining) {
            return Step.INCOMPLETE;
        }
        nextPosition = position + size;
        return Step.BATCH;
    }

    /** File position of the current batch. */
    long position() {
        return position;
    }

    /** The current batch's header, valid until the next call on this cursor. */
    RecordBatchHeader header() {
        return header;
    }

    /**
     * Makes the whole current batch readable through {@link #header()}'s buffer, starting at
     * {@code header().position()}.
     */
    RecordBatchHeader loadWholeBatch() throws IOException {
        int size = (int) (nextPosition - position);
        ensureLoaded(position, size);
        return header.wrap(block, (int) (position - blockStart));
    }

    private void ensureLoaded(long from, int length) throws IOException {
        if (from >= blockStart && from + length <= blockStart + blockLength) {
            return;
        }
        if (length > block.capacity()) {
            block = ByteBuffer.allocate(length);
        }
        int toRead = (int) Math.min(block.capacity(), end - from);
        block.clear().limit(toRead);
        while (block.hasRemaining()) {
            int n = channel.read(block, from + block.position());
            if (n < 0) {
                break;
            }
        }
        if (block.position() < length) {
            throw new EOFException("File ended at " + (from + block.position()) + " inside a batch expected up to "
                    + (from + length));
        }
        blockStart = from;
        blockLength = block.position();
        block.clear();
    }
}
