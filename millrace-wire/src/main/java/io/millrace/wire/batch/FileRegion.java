package io.millrace.wire.batch;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Whole record batches as a range of a segment file, sent to a socket without passing through
 * the heap ({@link #transferTo}, sendfile on Linux).
 *
 * <p>The target is a blocking channel. On a virtual thread a blocking socket is non-blocking
 * underneath, and {@code FileChannel.transferTo} then answers 0 bytes while the socket's send
 * buffer is full instead of waiting; {@link #transferTo} waits by sending the next byte with an
 * ordinary (parking) write, so a slow reader parks the thread rather than spinning it on sendfile.
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

    /** Writes the whole region to {@code target}, a blocking channel, waiting while it cannot take more. */
    public void transferTo(WritableByteChannel target) throws IOException {
        long at = position;
        long end = position + size;
        ByteBuffer oneByte = null;
        while (at < end) {
            long n = channel.transferTo(at, end - at, target);
            if (n > 0) {
                at += n;
                continue;
            }
            // Nothing went: either the socket is full (wait in a write that parks) or the file ended.
            if (oneByte == null) {
                oneByte = ByteBuffer.allocate(1);
            }
            oneByte.clear();
            if (channel.read(oneByte, at) <= 0) {
                // Truncated underneath us (a follower's truncation): the frame cannot be completed.
                throw new EOFException("File region ended at " + at + ", expected up to " + end);
            }
            oneByte.flip();
            while (oneByte.hasRemaining()) {
                target.write(oneByte);
            }
            at++;
        }
    }
}
