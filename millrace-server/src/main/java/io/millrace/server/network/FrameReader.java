package io.millrace.server.network;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads size-prefixed request frames from a blocking channel into a buffer reused across requests.
 *
 * <p>Buffer ownership: a frame returned by {@link #next()} stays valid until the following call.
 * A request that keeps slices of its frame beyond its response (Produce records handed to the
 * log: {@code ApiKeys.requiresDelayedAllocation}) must be {@link #detach() detached}, so the next
 * frame goes to a new buffer. Frames larger than {@link #KEPT_BUFFER_LIMIT} get a buffer of their
 * own so an idle connection never pins a large one. Not thread-safe: owned by one connection.
 */
final class FrameReader {
    static final int INITIAL_BUFFER_BYTES = 16 * 1024;
    static final int KEPT_BUFFER_LIMIT = 1024 * 1024;
    /** 0x16 0x03: a TLS record header, i.e. a TLS ClientHello sent to a plaintext listener. */
    private static final int TLS_HANDSHAKE_PREFIX = 0x1603;

    private final ReadableByteChannel channel;
    private final int maxFrameBytes;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private ByteBuffer buffer;

    FrameReader(ReadableByteChannel channel, int maxFrameBytes) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The next frame, from position 0 to its size, or null when the peer closed the connection
     * between frames.
     *
     * @throws EOFException             when the peer closed the connection inside a frame
     * @throws RejectedRequestException when the size prefix cannot be a request's
     */
    ByteBuffer next() throws IOException, RejectedRequestException {
        sizeBuffer.clear();
        if (!readFully(sizeBuffer, true)) {
            return null;
        }
        int size = sizeBuffer.getInt(0);
        if (size < 0 || size > maxFrameBytes) {
            throw new RejectedRequestException(describeBadSize(size));
        }
        ByteBuffer frame = bufferFor(size);
        readFully(frame, false);
        frame.flip();
        return frame;
    }

    /** The current buffer now belongs to the request that was read into it. */
    void detach() {
        buffer = null;
    }

    private ByteBuffer bufferFor(int size) {
        if (size > KEPT_BUFFER_LIMIT) {
            return ByteBuffer.allocate(size);
        }
        if (buffer == null || buffer.capacity() < size) {
            int capacity = buffer == null ? INITIAL_BUFFER_BYTES : buffer.capacity() * 2;
            buffer = ByteBuffer.allocate(Math.min(Math.max(capacity, size), KEPT_BUFFER_LIMIT));
        }
        return buffer.clear().limit(size);
    }

    /** Fills {@code dst}; false when the stream ended before its first byte and that is allowed. */
    private boolean readFully(ByteBuffer dst, boolean endAllowedAtStart) throws IOException {
        int end = dst.limit();
        try {
            while (dst.position() < end) {
                // Bounded reads: see GatheredBuffers on the JDK's temporary direct buffers.
                dst.limit(Math.min(end, dst.position() + GatheredBuffers.MAX_BYTES_PER_IO));
                if (channel.read(dst) < 0) {
                    if (endAllowedAtStart && dst.position() == 0) {
                        return false;
                    }
                    throw new EOFException("connection closed in the middle of a request");
                }
            }
        } finally {
            dst.limit(end);
        }
        return true;
    }

    private String describeBadSize(int size) {
        String hint = "";
        if (size >>> 16 == TLS_HANDSHAKE_PREFIX) {
            hint = "; it looks like a TLS handshake: is the client using SSL against a plaintext listener?";
        } else if (startsWithAsciiLetters()) {
            String text = new String(sizeBuffer.array(), 0, 4, StandardCharsets.US_ASCII);
            hint = "; it starts with '" + text + "': is this an HTTP or other text client?";
        }
        if (size < 0) {
            return "request size " + size + " is negative" + hint;
        }
        return "request size " + size + " exceeds socket.request.max.bytes (" + maxFrameBytes + ")" + hint;
    }

    private boolean startsWithAsciiLetters() {
        for (int i = 0; i < 4; i++) {
            byte b = sizeBuffer.get(i);
            boolean letterOrSpace = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == ' ';
            if (!letterOrSpace) {
                return false;
            }
        }
        return true;
    }
}
