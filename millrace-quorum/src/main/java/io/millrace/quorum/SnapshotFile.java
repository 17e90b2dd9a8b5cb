package io.millrace.quorum;

import io.millrace.metadata.records.MetadataRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A metadata snapshot on disk: the records of an image plus the image's record count.
 *
 * <p>Format: magic "MRSN", version 1, term, index, record count of the image, the records
 * (count + length-prefixed serde bytes), then a CRC32C of everything before it. Written to a
 * temporary file, forced, then atomically renamed. Stateless.
 */
final class SnapshotFile {
    private static final int MAGIC = 0x4d52534e; // "MRSN"
    private static final byte VERSION = 1;

    /** The content of a snapshot. */
    record Contents(long term, long index, long recordCount, List<MetadataRecord> records) {
    }

    private SnapshotFile() {
    }

    static void write(Path file, Contents contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(contents.term());
            out.writeLong(contents.index());
            out.writeLong(contents.recordCount());
            MetadataBatchCodec.writeRecords(out, contents.records());
        }
        byte[] body = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        Path temporary = file.resolveSibling(file.getFileName() + ".writing");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(body.length + Integer.BYTES);
            buffer.put(body).putInt((int) crc.getValue()).flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < Integer.BYTES * 2 + 1) {
            throw new IOException("Snapshot " + file + " is truncated");
        }
        int bodyLength = all.length - Integer.BYTES;
        CRC32C crc = new CRC32C();
        crc.update(all, 0, bodyLength);
        int stored = ByteBuffer.wrap(all, bodyLength, Integer.BYTES).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException("Snapshot " + file + " fails its CRC check");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, bodyLength))) {
            if (in.readInt() != MAGIC || in.readByte() != VERSION) {
                throw new IOException("Snapshot " + file + " has an unknown format");
            }
            long term = in.readLong();
            long index = in.readLong();
            long recordCount = in.readLong();
            return new Contents(term, index, recordCount, MetadataBatchCodec.readRecords(in));
        }
    }
}
