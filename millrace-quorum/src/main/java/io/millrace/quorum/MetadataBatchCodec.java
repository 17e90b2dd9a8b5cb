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
 * Version 2, for the records of a command another node forwarded, adds after the term the
 * command's request id (modified UTF-8) and its encoded reply (length + {@link RecordCodec}
 * bytes), which every node remembers ({@link CommittedCommandReplies}); other batches stay
 * version 1. Stateless and thread-safe.
 */
final class MetadataBatchCodec {
    private static final byte VERSION = 1;
    private static final byte VERSION_WITH_REPLY = 2;

    /**
     * A decoded entry. {@code expectedTerm} -1 means "any term"; {@code requestId} and
     * {@code encodedReply} are null unless the batch is a forwarded command's.
     */
    record Batch(long expectedTerm, List<MetadataRecord> records, String requestId, byte[] encodedReply) {
        Batch(long expectedTerm, List<MetadataRecord> records) {
            this(expectedTerm, records, null, null);
        }
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

    /** A forwarded command's batch: version 2, with its request id and encoded reply. */
    static byte[] encode(long expectedTerm, List<? extends MetadataRecord> records, String requestId,
                         byte[] encodedReply) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * records.size() + 64 + encodedReply.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION_WITH_REPLY);
            out.writeLong(expectedTerm);
            out.writeUTF(requestId);
            out.writeInt(encodedReply.length);
            out.write(encodedReply);
            writeRecords(out, records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Batch decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION && version != VERSION_WITH_REPLY) {
                throw new IllegalArgumentException("Unknown metadata batch version " + version);
            }
            long term = in.readLong();
            if (version == VERSION) {
                return new Batch(term, readRecords(in));
            }
            String requestId = in.readUTF();
            int length = in.readInt();
            if (length < 0) {
                throw new IOException("Negative reply length " + length);
            }
            byte[] reply = new byte[length];
            in.readFully(reply);
            return new Batch(term, readRecords(in), requestId, reply);
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
