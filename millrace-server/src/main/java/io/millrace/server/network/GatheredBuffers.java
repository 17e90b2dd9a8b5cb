package io.millrace.server.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A response frame held in byte buffers, written with gathering writes.
 *
 * <p>Each write (and each read, see FrameReader) offers at most {@link #MAX_BYTES_PER_IO}: the JDK copies heap buffers through
 * a temporary direct buffer as large as what is offered and caches it per carrier thread, so an
 * unbounded write of a large fetch response would pin that much native memory.
 */
final class GatheredBuffers implements ResponseBytes {
    static final int MAX_BYTES_PER_IO = 256 * 1024;
    private final ByteBuffer[] parts;
    private final long size;

    GatheredBuffers(ByteBuffer[] parts) {
        this.parts = parts;
        long total = 0;
        for (ByteBuffer part : parts) {
            total += part.remaining();
        }
        this.size = total;
    }

    int partCount() {
        return parts.length;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void writeTo(GatheringByteChannel channel) throws IOException {
        int first = 0;
        long left = size;
        while (left > 0) {
            while (!parts[first].hasRemaining()) {
                first++;
            }
            ByteBuffer head = parts[first];
            if (head.remaining() > MAX_BYTES_PER_IO) {
                ByteBuffer window = head.slice(head.position(), MAX_BYTES_PER_IO);
                int written = channel.write(window);
                head.position(head.position() + written);
                left -= written;
                continue;
            }
            int end = first;
            long windowBytes = 0;
            while (end < parts.length && windowBytes + parts[end].remaining() <= MAX_BYTES_PER_IO) {
                windowBytes += parts[end].remaining();
                end++;
            }
            // The channel may take fewer bytes than offered; finished parts are skipped next round.
            left -= channel.write(parts, first, end - first);
        }
    }
}
