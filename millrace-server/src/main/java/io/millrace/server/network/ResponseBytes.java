package io.millrace.server.network;

import java.io.IOException;
import java.nio.channels.GatheringByteChannel;

/**
 * One serialized response frame (size prefix, header and body), ready to be written.
 *
 * <p>The frame is kept as parts rather than one array so that large payloads (record batches) go
 * to the socket from where they already are: {@link GatheredBuffers} for heap and direct buffers,
 * {@link FileRegionFrame} for record batches sent from a segment file with
 * {@code FileChannel.transferTo} (zero-copy fetch).
 */
interface ResponseBytes {

    /** Total bytes of the frame, including the 4-byte size prefix. */
    long size();

    /** Writes the whole frame, blocking until done. Not reusable afterwards. */
    void writeTo(GatheringByteChannel channel) throws IOException;
}
