package io.millrace.metadata.log;

import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.MetadataRecordSerde;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Records written into a node's metadata log dir by {@code millrace storage format} (e.g. the SCRAM
 * credentials of {@code --add-scram}, Kafka's bootstrap records), which the first active
 * controller of a new cluster appends to the empty metadata log, so brokers can authenticate to
 * each other before anyone could create a credential over the network.
 *
 * <p>File {@value #FILE_NAME}: the magic {@code MRB1}, a record count, each record as a length and
 * its {@link MetadataRecordSerde} bytes, and a CRC32C of all that. Written to a temporary file,
 * fsynced and renamed into place. Stateless.
 */
public final class BootstrapRecords {
    public static final String FILE_NAME = "bootstrap.records";
    private static final int MAGIC = 0x4d524231; // "MRB1"

    private BootstrapRecords() {
    }

    /** Writes {@code records} as {@code dir}'s bootstrap records, replacing any before. */
    public static void write(Path dir, List<? extends MetadataRecord> records) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(records.size());
            for (MetadataRecord record : records) {
                byte[] data = MetadataRecordSerde.serialize(record);
                out.writeInt(data.length);
                out.write(data);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            out.flush();
            Files.createDirectories(dir);
            Path temporary = dir.resolve(FILE_NAME + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code dir}'s bootstrap records, in the order written; empty when it has none. A damaged file
     * is an {@link IllegalStateException} naming it (better refuse to start than start a cluster
     * without the credentials its brokers need).
     */
    public static List<MetadataRecord> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - Integer.BYTES);
            if (buffer.getInt(bytes.length - Integer.BYTES) != (int) crc.getValue() || buffer.getInt() != MAGIC) {
                throw new IllegalStateException("damaged");
            }
            int count = buffer.getInt();
            List<MetadataRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] data = new byte[buffer.getInt()];
                buffer.get(data);
                records.add(MetadataRecordSerde.deserialize(data));
            }
            return List.copyOf(records);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "): format the node again with "
                    + "millrace storage format --ignore-formatted, or remove the file if its records are not needed", e);
        }
    }
}
