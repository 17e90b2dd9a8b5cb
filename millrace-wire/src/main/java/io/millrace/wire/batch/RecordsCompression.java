package io.millrace.wire.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;

/**
 * The adapter over kafka-clients' compression codecs ({@code org.apache.kafka.common.compress})
 * for code that rewrites batches: the records of a v2 batch as plain bytes (decompressed when
 * needed), and plain record bytes compressed with a codec. In a v2 batch the 61-byte header is
 * never compressed; everything after it is one compressed stream of the records.
 *
 * <p>Thread-safe: decompression buffers are cached per thread.
 */
public final class RecordsCompression {
    private static final ThreadLocal<BufferSupplier> BUFFERS = ThreadLocal.withInitial(BufferSupplier::create);

    private RecordsCompression() {
    }

    /**
     * The plain records of the batch at absolute {@code batchPosition}, between the returned
     * buffer's position and limit: a view of {@code buffer} itself when the batch is uncompressed
     * (no copy), a new buffer otherwise.
     *
     * @throws CorruptRecordException if the payload cannot be decompressed
     */
    public static ByteBuffer plainRecords(ByteBuffer buffer, int batchPosition) {
        RecordBatchHeader header = new RecordBatchHeader().wrap(buffer, batchPosition);
        int start = batchPosition + RecordBatchHeader.HEADER_SIZE;
        int end = batchPosition + header.sizeInBytes();
        ByteBuffer payload = buffer.duplicate().limit(end).position(start);
        if (!header.isCompressed()) {
            return payload;
        }
        BatchCompression codec = header.compression();
        try (InputStream in = codec(codec).wrapForInput(payload.slice(), RecordBatchHeader.MAGIC_V2, BUFFERS.get())) {
            return ByteBuffer.wrap(in.readAllBytes());
        } catch (IOException | KafkaException | IllegalStateException e) {
            throw new CorruptRecordException("Records of the " + codec + " batch at offset " + header.baseOffset()
                    + " cannot be decompressed: " + e.getMessage());
        }
    }

    /**
     * {@code plain}'s remaining bytes compressed with {@code codec} (its position is left
     * alone); the result runs from position 0 to its limit. NONE returns a copy.
     */
    public static ByteBuffer compress(BatchCompression codec, ByteBuffer plain) {
        ByteBufferOutputStream out = new ByteBufferOutputStream(Math.max(512, plain.remaining() / 2));
        try (OutputStream stream = codec(codec).wrapForOutput(out, RecordBatchHeader.MAGIC_V2)) {
            if (plain.hasArray()) {
                stream.write(plain.array(), plain.arrayOffset() + plain.position(), plain.remaining());
            } else {
                byte[] copy = new byte[plain.remaining()];
                plain.duplicate().get(copy);
                stream.write(copy);
            }
        } catch (IOException e) {
            throw new KafkaException("Cannot compress records with " + codec + ": " + e.getMessage(), e);
        }
        return out.buffer().flip();
    }

    private static Compression codec(BatchCompression compression) {
        return switch (compression) {
            case NONE -> Compression.NONE;
            case GZIP -> Compression.gzip().build();
            case SNAPPY -> Compression.snappy().build();
            case LZ4 -> Compression.lz4().build();
            case ZSTD -> Compression.zstd().build();
        };
    }
}
