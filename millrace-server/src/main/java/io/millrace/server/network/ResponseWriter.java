package io.millrace.server.network;

import io.millrace.wire.batch.FileRegion;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Serializes a response frame into buffer parts, sized exactly up front.
 *
 * <p>Small fields are copied into heap chunks (one chunk holding the whole frame in the common
 * case). A byte buffer of {@link #SEPARATE_PART_BYTES} or more, which is how the generated classes
 * hand over record batches, is not copied: it becomes a part of its own and goes to the socket
 * from where it is. Records left in their segment file ({@link FileRegion}, a fetch's batches)
 * are not read at all: they become a file-region part, sent with {@code FileChannel.transferTo}.
 * Not thread-safe; one writer per response.
 */
final class ResponseWriter extends KafkaRecords.RegionAwareWritable {
    static final int SEPARATE_PART_BYTES = 4096;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;
    private static final int MIN_CHUNK_BYTES = 1024;
    private static final int SIZE_PREFIX_BYTES = 4;

    private final List<ByteBuffer> parts = new ArrayList<>(2);
    /** Buffer runs and file regions in frame order; stays empty while no region was written. */
    private final List<Object> pieces = new ArrayList<>(0);
    private long unwritten;
    /** Of {@link #unwritten}, the bytes expected inline (not records): what sizes a new chunk. */
    private long inlineUnwritten;
    private ByteBuffer chunk;

    private ResponseWriter(long frameBytes, long inlineBytes) {
        this.unwritten = frameBytes;
        this.inlineUnwritten = inlineBytes;
    }

    /** The frame of one response: size prefix, header at {@code headerVersion}, body at {@code version}. */
    static ResponseBytes serialize(int correlationId, short headerVersion, ApiMessage body, short version) {
        // One cache for sizing and writing: sizing stores the encoded strings that writing reuses.
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        MessageSizeAccumulator bodySize = new MessageSizeAccumulator();
        body.addSize(bodySize, cache, version);
        int headerSize = header.size(cache, headerVersion);
        int frameSize = Math.addExact(headerSize, bodySize.totalSize());
        // Records (zero-copy bytes) mostly become parts of their own: chunks are sized for the rest.
        ResponseWriter writer = new ResponseWriter(SIZE_PREFIX_BYTES + (long) frameSize,
                SIZE_PREFIX_BYTES + (long) headerSize + bodySize.sizeExcludingZeroCopy());
        writer.writeInt(frameSize);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        return writer.finish();
    }

    /** A writer expecting exactly {@code bytes}, for tests of the encodings; end with {@link #finish()}. */
    static ResponseWriter forTest(long bytes) {
        return new ResponseWriter(bytes, bytes);
    }

    ResponseBytes finish() {
        if (unwritten != 0) {
            throw new IllegalStateException("Response wrote " + unwritten + " bytes fewer than its computed size");
        }
        sealChunk();
        if (pieces.isEmpty()) {
            return new GatheredBuffers(parts.toArray(ByteBuffer[]::new));
        }
        sealBuffers();
        return new FileRegionFrame(pieces);
    }

    @Override
    protected void writeFileRegion(FileRegion region) {
        if (region.size() == 0) {
            return;
        }
        account(region.size());
        inlineUnwritten += region.size();
        sealChunk();
        sealBuffers();
        pieces.add(region);
    }

    /** Moves the buffer parts so far into the pieces, as one gathered run. */
    private void sealBuffers() {
        if (!parts.isEmpty()) {
            pieces.add(new GatheredBuffers(parts.toArray(ByteBuffer[]::new)));
            parts.clear();
        }
    }

    /** Makes room for {@code n} bytes in the current chunk. */
    private ByteBuffer reserve(int n) {
        account(n);
        if (chunk == null || chunk.remaining() < n) {
            sealChunk();
            // unwritten already excludes these n bytes; the chunk holds them plus what may follow.
            // Small records copied inline can make the estimate short: never below MIN_CHUNK_BYTES then.
            long wanted = Math.min(Math.max(inlineUnwritten + n, MIN_CHUNK_BYTES), unwritten + n);
            chunk = ByteBuffer.allocate((int) Math.max(n, Math.min(wanted, MAX_CHUNK_BYTES)));
        }
        return chunk;
    }

    private void account(int n) {
        if (n > unwritten) {
            throw new IllegalStateException("Response is larger than its computed size");
        }
        unwritten -= n;
        inlineUnwritten -= n;
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
            inlineUnwritten += n;
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
