package io.millrace.server.network;

import io.millrace.wire.batch.FileRegion;
import java.io.IOException;
import java.nio.channels.GatheringByteChannel;
import java.util.List;

/**
 * A response frame with file regions among its parts (a fetch's record batches): buffer runs go
 * out with gathering writes, regions straight from the segment file with
 * {@code FileChannel.transferTo} (sendfile), never through the heap, on a plaintext connection;
 * over TLS they are read into a direct buffer and encrypted ({@link TlsChannel#writeRegion}). A region whose file was
 * closed or cut meanwhile fails the write with an IOException, and the connection closes rather
 * than send a short frame. Not thread-safe; written once.
 */
final class FileRegionFrame implements ResponseBytes {
    private final List<Object> pieces;
    private final long size;

    /** {@code pieces}: {@link GatheredBuffers} and {@link FileRegion}s, in frame order. */
    FileRegionFrame(List<Object> pieces) {
        this.pieces = List.copyOf(pieces);
        long total = 0;
        for (Object piece : this.pieces) {
            total += switch (piece) {
                case GatheredBuffers buffers -> buffers.size();
                case FileRegion region -> region.size();
                default -> throw new IllegalArgumentException("Not a frame piece: " + piece);
            };
        }
        this.size = total;
    }

    int pieceCount() {
        return pieces.size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void writeTo(GatheringByteChannel channel) throws IOException {
        for (Object piece : pieces) {
            if (piece instanceof FileRegion region && channel instanceof TlsChannel tls) {
                tls.writeRegion(region); // encrypted: read into memory, never sendfile
            } else if (piece instanceof FileRegion region) {
                region.transferTo(channel);
            } else {
                ((GatheredBuffers) piece).writeTo(channel);
            }
        }
    }
}
