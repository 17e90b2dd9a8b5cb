package io.millrace.quorum;

import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.MetadataRecordSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of one Raft log entry: one atomic batch of metadata records.
 *
 * <p>Format: version byte (1), the leader term the appender saw when it appended (the entry is
 * ignored by every node if it was committed in another term: a deposed controller's batch never
 * applies), record count, then each record as length + {@link MetadataRecordSerde} bytes.
 * Stateless and thread-safe.
 */
final class MetadataBatchCodec {
    private static final byte VERSION = 1;

    /** A decoded entry. {@code expectedTerm} -1 means "any term". */
    record Batch(long expectedTerm, List<MetadataRecord> records) {
    }

    private MetadataBatchCodec() {
    }

    static byte[] encode(long expectedTerm, List<? extends MetadataRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * records.size() + 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(expectedTerm);
            writeRecords(out, records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Batch decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("Unknown metadata batch version " + version);
            }
            long term = in.readLong();
            return new Batch(term, readRecords(in));
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed metadata batch", e);
        }
    }

    /** Writes a count and each record length-prefixed. */
    static void writeRecords(DataOutputStream out, List<? extends MetadataRecord> records) throws IOException {
        out.writeInt(records.size());
        for (MetadataRecord record : records) {
            byte[] serialized = MetadataRecordSerde.serialize(record);
            out.writeInt(serialized.length);
            out.write(serialized);
        }
    }

    /** Reads what {@link #writeRecords} wrote. */
    static List<MetadataRecord> readRecords(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Negative record count " + count);
        }
        List<MetadataRecord> records = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 1) {
                throw new IOException("Invalid record length " + length);
            }
            byte[] serialized = new byte[length];
            in.readFully(serialized);
            records.add(MetadataRecordSerde.deserialize(serialized));
        }
        return List.copyOf(records);
    }
}
