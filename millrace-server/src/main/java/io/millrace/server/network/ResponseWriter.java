package io.millrace.server.network;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;

/**
 * Serializes a response frame into buffer parts, sized exactly up front.
 *
 * <p>Small fields are copied into heap chunks (one chunk holding the whole frame in the common
 * case). A byte buffer of {@link #SEPARATE_PART_BYTES} or more, which is how the generated classes
 * hand over record batches, is not copied: it becomes a part of its own and goes to the socket
 * from where it is. Not thread-safe; one writer per response.
 */
final class ResponseWriter implements Writable {
    static final int SEPARATE_PART_BYTES = 4096;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;
    private static final int SIZE_PREFIX_BYTES = 4;

    private final List<ByteBuffer> parts = new ArrayList<>(2);
    private long unwritten;
    private ByteBuffer chunk;

    private ResponseWriter(long frameBytes) {
        this.unwritten = frameBytes;
    }

    /** The frame of one response: size prefix, header at {@code headerVersion}, body at {@code version}. */
    static ResponseBytes serialize(int correlationId, short headerVersion, ApiMessage body, short version) {
        // One cache for sizing and writing: sizing stores the encoded strings that writing reuses.
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        int frameSize = Math.addExact(header.size(cache, headerVersion), body.size(cache, version));
        ResponseWriter writer = new ResponseWriter(SIZE_PREFIX_BYTES + (long) frameSize);
        writer.writeInt(frameSize);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        return writer.finish();
    }

    /** A writer expecting exactly {@code bytes}, for tests of the encodings; end with {@link #finish()}. */
    static ResponseWriter forTest(long bytes) {
        return new ResponseWriter(bytes);
    }

    ResponseBytes finish() {
        if (unwritten != 0) {
            throw new IllegalStateException("Response wrote " + unwritten + " bytes fewer than its computed size");
        }
        sealChunk();
        return new GatheredBuffers(parts.toArray(ByteBuffer[]::new));
    }

    /** Makes room for {@code n} bytes in the current chunk. */
    private ByteBuffer reserve(int n) {
        account(n);
        if (chunk == null || chunk.remaining() < n) {
            sealChunk();
            // unwritten already excludes these n bytes; the chunk holds them plus what may follow.
            chunk = ByteBuffer.allocate((int) Math.max(n, Math.min(unwritten + n, MAX_CHUNK_BYTES)));
        }
        return chunk;
    }

    private void account(int n) {
        if (n > unwritten) {
            throw new IllegalStateException("Response is larger than its computed size");
        }
        unwritten -= n;
    }

    /** Moves what the chunk holds into the parts and keeps its free space as the next chunk. */
    private void sealChunk() {
        if (chunk == null || chunk.position() == 0) {
            return;
        }
        int used = chunk.position();
        parts.add(chunk.slice(0, used));
        chunk = chunk.remaining() > 0 ? chunk.slice(used, chunk.remaining()) : null;
    }

    @Override
    public void writeByteBuffer(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (n >= SEPARATE_PART_BYTES) {
            account(n);
            sealChunk();
            parts.add(buffer.duplicate());
        } else {
            reserve(n).put(buffer.duplicate());
        }
    }

    @Override
    public void writeByte(byte val) {
        reserve(1).put(val);
    }

    @Override
    public void writeShort(short val) {
        reserve(2).putShort(val);
    }

    @Override
    public void writeInt(int val) {
        reserve(4).putInt(val);
    }

    @Override
    public void writeLong(long val) {
        reserve(8).putLong(val);
    }

    @Override
    public void writeDouble(double val) {
        reserve(8).putDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        reserve(arr.length).put(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        int bits = 32 - Integer.numberOfLeadingZeros(i);
        ByteBuffer out = reserve(Math.max(1, (bits + 6) / 7));
        int v = i;
        while ((v & ~0x7F) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    @Override
    public void writeVarint(int i) {
        writeUnsignedVarint((i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        long v = (i << 1) ^ (i >> 63);
        int bits = 64 - Long.numberOfLeadingZeros(v);
        ByteBuffer out = reserve(Math.max(1, (bits + 6) / 7));
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }
}
