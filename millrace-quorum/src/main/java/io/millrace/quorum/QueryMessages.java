package io.millrace.quorum;

import io.millrace.metadata.records.MetadataRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The read-only requests that travel to the quorum leader (Ratis routes them there) and their
 * replies. Request: kind byte, then per kind: COMMAND = class name + {@link RecordCodec} bytes
 * (kept for nodes of earlier versions); IDENTIFIED_COMMAND = request id + class name + bytes, the
 * id being the same on every retry of one command so the leader runs it once; DESCRIBE = nothing;
 * FETCH = record count the asker has + max wait in ms; IDENTITY = nothing (any node answers it,
 * as a stale read, with its node id and cluster id). Reply: status byte, OK = payload, ERROR =
 * Kafka error code + message. Stateless.
 */
final class QueryMessages {
    static final byte COMMAND = 1;
    static final byte DESCRIBE = 2;
    static final byte FETCH = 3;
    static final byte IDENTITY = 4;
    static final byte IDENTIFIED_COMMAND = 5;

    private static final byte OK = 0;
    private static final byte ERROR = 1;
    private static final byte FETCH_BATCHES = 0;
    private static final byte FETCH_SNAPSHOT = 1;

    /** A decoded request; {@code requestId} is null but for an IDENTIFIED_COMMAND. */
    record Request(byte kind, String requestId, String commandClass, byte[] payload, long recordCount, long maxWaitMs) {
    }

    /** What IDENTITY answers: who the node is and which cluster it is in. */
    record Identity(int nodeId, String clusterId) {
    }

    /** A decoded reply: {@code error} NONE with {@code payload}, or an error with its message. */
    record Reply(Errors error, String message, byte[] payload) {
    }

    /** What a FETCH answers: either batches after the asker's record count or a whole snapshot. */
    record FetchResult(boolean snapshot, long snapshotRecordCount, List<MetadataRecord> snapshotRecords,
                       List<RecentBatches.Batch> batches) {
    }

    private QueryMessages() {
    }

    static Message command(String requestId, String className, byte[] encoded) {
        return write(out -> {
            out.writeByte(IDENTIFIED_COMMAND);
            writeBytes(out, requestId.getBytes(StandardCharsets.UTF_8));
            writeBytes(out, className.getBytes(StandardCharsets.UTF_8));
            writeBytes(out, encoded);
        });
    }

    static Message identity() {
        return write(out -> out.writeByte(IDENTITY));
    }

    static byte[] identityResult(Identity identity) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(identity.nodeId());
            writeBytes(out, identity.clusterId().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Identity readIdentity(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            return new Identity(in.readInt(), new String(readBytes(in), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed identity", e);
        }
    }

    static Message describe() {
        return write(out -> out.writeByte(DESCRIBE));
    }

    static Message fetch(long recordCount, long maxWaitMs) {
        return write(out -> {
            out.writeByte(FETCH);
            out.writeLong(recordCount);
            out.writeLong(maxWaitMs);
        });
    }

    static Request readRequest(ByteString content) {
        try (DataInputStream in = new DataInputStream(content.newInput())) {
            byte kind = in.readByte();
            return switch (kind) {
                case COMMAND -> new Request(kind, null, new String(readBytes(in), StandardCharsets.UTF_8),
                        readBytes(in), 0, 0);
                case IDENTIFIED_COMMAND -> new Request(kind, new String(readBytes(in), StandardCharsets.UTF_8),
                        new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in), 0, 0);
                case DESCRIBE, IDENTITY -> new Request(kind, null, null, null, 0, 0);
                case FETCH -> new Request(kind, null, null, null, in.readLong(), in.readLong());
                default -> throw new IllegalArgumentException("Unknown quorum request kind " + kind);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed quorum request", e);
        }
    }

    static Message ok(byte[] payload) {
        return write(out -> {
            out.writeByte(OK);
            writeBytes(out, payload);
        });
    }

    static Message error(Errors error, String message) {
        return write(out -> {
            out.writeByte(ERROR);
            out.writeShort(error.code());
            out.writeBoolean(message != null);
            if (message != null) {
                writeBytes(out, message.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    static Reply readReply(ByteString content) {
        try (DataInputStream in = new DataInputStream(content.newInput())) {
            byte status = in.readByte();
            if (status == OK) {
                return new Reply(Errors.NONE, null, readBytes(in));
            }
            Errors error = Errors.forCode(in.readShort());
            String message = in.readBoolean() ? new String(readBytes(in), StandardCharsets.UTF_8) : null;
            return new Reply(error, message, null);
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed quorum reply", e);
        }
    }

    static byte[] fetchResult(FetchResult result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (result.snapshot()) {
                out.writeByte(FETCH_SNAPSHOT);
                out.writeLong(result.snapshotRecordCount());
                MetadataBatchCodec.writeRecords(out, result.snapshotRecords());
            } else {
                out.writeByte(FETCH_BATCHES);
                out.writeInt(result.batches().size());
                for (RecentBatches.Batch batch : result.batches()) {
                    out.writeLong(batch.recordCountAfter());
                    MetadataBatchCodec.writeRecords(out, batch.records());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static FetchResult readFetchResult(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() == FETCH_SNAPSHOT) {
                long recordCount = in.readLong();
                return new FetchResult(true, recordCount, MetadataBatchCodec.readRecords(in), List.of());
            }
            int count = in.readInt();
            List<RecentBatches.Batch> batches = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                long after = in.readLong();
                batches.add(new RecentBatches.Batch(after, MetadataBatchCodec.readRecords(in)));
            }
            return new FetchResult(false, -1, List.of(), batches);
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed fetch result", e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static Message write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(ByteString.copyFrom(bytes.toByteArray()));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Negative length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
