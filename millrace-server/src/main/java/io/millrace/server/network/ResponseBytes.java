package io.millrace.server.network;

import java.io.IOException;
import java.nio.channels.GatheringByteChannel;

/**
 * One serialized response frame (size prefix, header and body), ready to be written.
 *
 * <p>The frame is kept as parts rather than one array so that large payloads (record batches) go
 * to the socket from where they already are. A later zero-copy fetch adds a part that is a file
 * region written with {@code FileChannel.transferTo}.
 */
interface ResponseBytes {

    /** Total bytes of the frame, including the 4-byte size prefix. */
    long size();

    /** Writes the whole frame, blocking until done. Not reusable afterwards. */
    void writeTo(GatheringByteChannel channel) throws IOException;
}
