package io.millrace.wire.batch;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Whole record batches as a range of a segment file, sent to a socket without passing through
 * the heap ({@link #transferTo}, sendfile on Linux).
 *
 * <p>The holder must keep {@code channel} open, and the range's bytes unchanged, until the
 * region is sent; a channel closed meanwhile fails the transfer with an {@link IOException}
 * (the connection then closes, the client retries), never with wrong bytes sent as if whole.
 *
 * @param channel  the segment's file channel, read only through positional transfers
 * @param position the first byte of the first batch
 * @param size     bytes of whole batches from {@code position}
 */
public record FileRegion(FileChannel channel, long position, int size) {

    public FileRegion {
        if (position < 0 || size < 0) {
            throw new IllegalArgumentException("Bad file region: position " + position + ", size " + size);
        }
    }

    /** Writes the whole region to {@code target}, blocking until done. */
    public void transferTo(WritableByteChannel target) throws IOException {
        long at = position;
        long end = position + size;
        while (at < end) {
            long n = channel.transferTo(at, end - at, target);
            if (n <= 0 && at >= channel.size()) {
                // Truncated underneath us (a follower's truncation): the frame cannot be completed.
                throw new EOFException("File region ended at " + at + ", expected up to " + end);
            }
            at += n;
        }
    }
}
