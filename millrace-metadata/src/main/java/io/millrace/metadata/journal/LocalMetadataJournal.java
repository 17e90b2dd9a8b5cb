package io.millrace.metadata.journal;

import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.MetadataRecordSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A metadata journal in one local file, for a node that is its own quorum.
 *
 * <p>On-disk format, one entry per {@link #append} call: 4-byte payload length, 4-byte CRC-32C
 * of the payload, payload = 4-byte record count then per record a 4-byte length and the
 * {@link MetadataRecordSerde} bytes. An entry is all-or-nothing: a torn or corrupt tail entry
 * (a crash mid-write) is cut off when the file is opened.
 *
 * <p>Thread-safety: appends are serialised by the caller (the controller thread); the methods
 * are synchronized as a guard.
 */
public final class LocalMetadataJournal implements MetadataJournal {
    private static final Logger log = LoggerFactory.getLogger(LocalMetadataJournal.class);
    private static final int ENTRY_HEADER = 8;

    private final Path file;
    private final FileChannel channel;
    private final List<MetadataRecord> recovered = new ArrayList<>();

    public LocalMetadataJournal(Path dir) {
        try {
            Files.createDirectories(dir);
            this.file = dir.resolve("journal.log");
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long validEnd = recover();
            if (validEnd < channel.size()) {
                log.warn("Metadata journal {} had an incomplete last entry (a crash while writing it); "
                        + "cut {} bytes at position {}", file, channel.size() - validEnd, validEnd);
                channel.truncate(validEnd);
                channel.force(true);
            }
            channel.position(validEnd);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open metadata journal in " + dir, e);
        }
    }

    private long recover() throws IOException {
        long position = 0;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER);
        while (position + ENTRY_HEADER <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length < 4 || position + ENTRY_HEADER + length > size) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            channel.read(payload, position + ENTRY_HEADER);
            payload.flip();
            CRC32C checksum = new CRC32C();
            checksum.update(payload.duplicate());
            if ((int) checksum.getValue() != crc) {
                break;
            }
            int count = payload.getInt();
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[payload.getInt()];
                payload.get(bytes);
                recovered.add(MetadataRecordSerde.deserialize(bytes));
            }
            position += ENTRY_HEADER + length;
        }
        return position;
    }

    @Override
    public synchronized List<MetadataRecord> readAll() {
        return List.copyOf(recovered);
    }

    @Override
    public synchronized void append(List<MetadataRecord> records) {
        List<byte[]> encoded = new ArrayList<>(records.size());
        int payloadSize = 4;
        for (MetadataRecord record : records) {
            byte[] bytes = MetadataRecordSerde.serialize(record);
            encoded.add(bytes);
            payloadSize += 4 + bytes.length;
        }
        ByteBuffer entry = ByteBuffer.allocate(ENTRY_HEADER + payloadSize);
        entry.position(ENTRY_HEADER);
        entry.putInt(records.size());
        for (byte[] bytes : encoded) {
            entry.putInt(bytes.length).put(bytes);
        }
        CRC32C checksum = new CRC32C();
        checksum.update(entry.array(), ENTRY_HEADER, payloadSize);
        entry.putInt(0, payloadSize).putInt(4, (int) checksum.getValue());
        entry.rewind();
        try {
            while (entry.hasRemaining()) {
                channel.write(entry);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write metadata journal " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            log.warn("Closing metadata journal {} failed: {}", file, e.toString());
        }
    }
}
