package io.millrace.metadata.records;

import io.millrace.metadata.acl.AclEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Binary form of {@link MetadataRecord}s, used by the journal and (later) the Raft log.
 *
 * <p>Format: one type byte, then the fields in declaration order; strings as a boolean
 * presence flag plus modified UTF-8, UUIDs as two longs, int lists as a count plus ints, byte
 * arrays as a length plus bytes, SCRAM mechanisms as Kafka's type byte, ACL enums as Kafka's codes,
 * quota entities as (present, name) for the user then the client id.
 * Type ids are stable on disk: never reuse or renumber one.
 */
public final class MetadataRecordSerde {
    private static final byte TOPIC = 1;
    private static final byte PARTITION = 2;
    private static final byte REMOVE_TOPIC = 3;
    private static final byte CONFIG = 4;
    private static final byte PRODUCER_IDS = 5;
    private static final byte PARTITION_V2 = 6;
    private static final byte BROKER_REGISTRATION = 7;
    private static final byte BROKER_STATE = 8;
    private static final byte SCRAM_CREDENTIAL = 9;
    private static final byte REMOVE_SCRAM_CREDENTIAL = 10;
    // ACLs start at 20, apart from the ids other record kinds take next
    private static final byte ACL = 20;
    private static final byte REMOVE_ACL = 21;
    private static final byte CLIENT_QUOTA = 11;

    private MetadataRecordSerde() {
    }

    public static byte[] serialize(MetadataRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (record) {
                case TopicRecord r -> {
                    out.writeByte(TOPIC);
                    writeString(out, r.name());
                    writeUuid(out, r.topicId());
                }
                case PartitionRecord r -> {
                    out.writeByte(PARTITION_V2);
                    writeUuid(out, r.topicId());
                    out.writeInt(r.partition());
                    writeInts(out, r.replicas());
                    writeInts(out, r.isr());
                    out.writeInt(r.leader());
                    out.writeInt(r.leaderEpoch());
                    out.writeInt(r.partitionEpoch());
                    writeInts(out, r.addingReplicas());
                    writeInts(out, r.removingReplicas());
                }
                case RemoveTopicRecord r -> {
                    out.writeByte(REMOVE_TOPIC);
                    writeUuid(out, r.topicId());
                }
                case ConfigRecord r -> {
                    out.writeByte(CONFIG);
                    out.writeByte(r.resourceType());
                    writeString(out, r.resourceName());
                    writeString(out, r.name());
                    writeString(out, r.value());
                }
                case ProducerIdsRecord r -> {
                    out.writeByte(PRODUCER_IDS);
                    out.writeInt(r.brokerId());
                    out.writeLong(r.nextProducerId());
                }
                case BrokerRegistrationRecord r -> {
                    out.writeByte(BROKER_REGISTRATION);
                    out.writeInt(r.brokerId());
                    out.writeLong(r.brokerEpoch());
                    writeUuid(out, r.incarnationId());
                    out.writeInt(r.endpoints().size());
                    for (BrokerEndpoint e : r.endpoints()) {
                        writeString(out, e.listenerName());
                        writeString(out, e.host());
                        out.writeInt(e.port());
                        writeString(out, e.securityProtocol());
                    }
                    writeString(out, r.rack());
                    out.writeBoolean(r.fenced());
                }
                case BrokerStateRecord r -> {
                    out.writeByte(BROKER_STATE);
                    out.writeInt(r.brokerId());
                    out.writeLong(r.brokerEpoch());
                    out.writeBoolean(r.fenced());
                    out.writeBoolean(r.inControlledShutdown());
                }
                case ScramCredentialRecord r -> {
                    out.writeByte(SCRAM_CREDENTIAL);
                    writeString(out, r.user());
                    out.writeByte(r.mechanism().type());
                    writeBytes(out, r.salt());
                    writeBytes(out, r.storedKey());
                    writeBytes(out, r.serverKey());
                    out.writeInt(r.iterations());
                }
                case RemoveScramCredentialRecord r -> {
                    out.writeByte(REMOVE_SCRAM_CREDENTIAL);
                    writeString(out, r.user());
                    out.writeByte(r.mechanism().type());
                }
                case AclRecord r -> {
                    out.writeByte(ACL);
                    writeUuid(out, r.id());
                    writeAcl(out, r.acl());
                }
                case RemoveAclRecord r -> {
                    out.writeByte(REMOVE_ACL);
                    writeUuid(out, r.id());
                }
                case ClientQuotaRecord r -> {
                    out.writeByte(CLIENT_QUOTA);
                    writeQuotaEntity(out, r.entity());
                    writeString(out, r.key());
                    out.writeDouble(r.value());
                    out.writeBoolean(r.remove());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static MetadataRecord deserialize(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte type = in.readByte();
            return switch (type) {
                case TOPIC -> new TopicRecord(readString(in), readUuid(in));
                case PARTITION -> new PartitionRecord(readUuid(in), in.readInt(), readInts(in), readInts(in),
                        in.readInt(), in.readInt(), in.readInt());
                case REMOVE_TOPIC -> new RemoveTopicRecord(readUuid(in));
                case CONFIG -> new ConfigRecord(in.readByte(), readString(in), readString(in), readString(in));
                case PRODUCER_IDS -> new ProducerIdsRecord(in.readInt(), in.readLong());
                case PARTITION_V2 -> new PartitionRecord(readUuid(in), in.readInt(), readInts(in), readInts(in),
                        in.readInt(), in.readInt(), in.readInt(), readInts(in), readInts(in));
                case BROKER_REGISTRATION -> readRegistration(in);
                case BROKER_STATE -> new BrokerStateRecord(in.readInt(), in.readLong(), in.readBoolean(), in.readBoolean());
                case SCRAM_CREDENTIAL -> new ScramCredentialRecord(readString(in), readMechanism(in), readBytes(in),
                        readBytes(in), readBytes(in), in.readInt());
                case REMOVE_SCRAM_CREDENTIAL -> new RemoveScramCredentialRecord(readString(in), readMechanism(in));
                case ACL -> new AclRecord(readUuid(in), readAcl(in));
                case REMOVE_ACL -> new RemoveAclRecord(readUuid(in));
                case CLIENT_QUOTA -> new ClientQuotaRecord(readQuotaEntity(in), readString(in), in.readDouble(),
                        in.readBoolean());
                default -> throw new IllegalArgumentException("Unknown metadata record type " + type);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BrokerRegistrationRecord readRegistration(DataInputStream in) throws IOException {
        int brokerId = in.readInt();
        long epoch = in.readLong();
        Uuid incarnation = readUuid(in);
        int n = in.readInt();
        List<BrokerEndpoint> endpoints = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            endpoints.add(new BrokerEndpoint(readString(in), readString(in), in.readInt(), readString(in)));
        }
        return new BrokerRegistrationRecord(brokerId, epoch, incarnation, endpoints, readString(in), in.readBoolean());
    }

    /** An ACL: resource type, name, pattern type, principal, host, operation, permission; enums as Kafka's codes. */
    private static void writeAcl(DataOutputStream out, AclEntry acl) throws IOException {
        out.writeByte(acl.resourceType().code());
        writeString(out, acl.resourceName());
        out.writeByte(acl.patternType().code());
        writeString(out, acl.principal());
        writeString(out, acl.host());
        out.writeByte(acl.operation().code());
        out.writeByte(acl.permission().code());
    }

    private static AclEntry readAcl(DataInputStream in) throws IOException {
        return new AclEntry(ResourceType.fromCode(in.readByte()), readString(in), PatternType.fromCode(in.readByte()),
                readString(in), readString(in), AclOperation.fromCode(in.readByte()),
                AclPermissionType.fromCode(in.readByte()));
    }

    private static ScramMechanism readMechanism(DataInputStream in) throws IOException {
        byte type = in.readByte();
        return ScramMechanism.fromType(type)
                .orElseThrow(() -> new IllegalArgumentException("Unknown SCRAM mechanism type " + type));
    }

    private static void writeQuotaEntity(DataOutputStream out, QuotaEntity entity) throws IOException {
        out.writeBoolean(entity.hasUser());
        writeString(out, entity.user());
        out.writeBoolean(entity.hasClientId());
        writeString(out, entity.clientId());
    }

    private static QuotaEntity readQuotaEntity(DataInputStream in) throws IOException {
        return new QuotaEntity(in.readBoolean(), readString(in), in.readBoolean(), readString(in));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("Invalid byte array length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeUuid(DataOutputStream out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static Uuid readUuid(DataInputStream in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }

    private static void writeInts(DataOutputStream out, List<Integer> ints) throws IOException {
        out.writeInt(ints.size());
        for (int i : ints) {
            out.writeInt(i);
        }
    }

    private static List<Integer> readInts(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(in.readInt());
        }
        return List.copyOf(list);
    }
}
