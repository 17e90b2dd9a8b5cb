package io.millrace.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.metadata.records.AclRecord;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.BrokerRegistrationRecord;
import io.millrace.metadata.records.BrokerStateRecord;
import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.ProducerIdsRecord;
import io.millrace.metadata.records.RemoveAclRecord;
import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.QuotaEntity;
import io.millrace.metadata.records.RemoveScramCredentialRecord;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import io.millrace.metadata.records.RemoveTopicRecord;
import io.millrace.metadata.records.TopicRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotAndConfigTest {
    @TempDir
    Path dir;

    static List<MetadataRecord> history() {
        Uuid a = Uuid.randomUuid();
        Uuid b = Uuid.randomUuid();
        return List.of(
                new TopicRecord("a", a),
                new PartitionRecord(a, 0, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionRecord(a, 1, List.of(2, 3), List.of(2), 2, 1, 3, List.of(3), List.of()),
                new ConfigRecord(ConfigRecord.TOPIC, "a", "retention.ms", "10"),
                new TopicRecord("b", b),
                new PartitionRecord(b, 0, List.of(1), List.of(1), 1, 0, 0),
                new RemoveTopicRecord(b),
                new ConfigRecord(ConfigRecord.BROKER, "", "log.retention.ms", "99"),
                new ConfigRecord(ConfigRecord.BROKER, "1", "log.cleaner.threads", "2"),
                new ConfigRecord(ConfigRecord.GROUP, "g", "consumer.session.timeout.ms", "45000"),
                new BrokerRegistrationRecord(1, 10, Uuid.randomUuid(),
                        List.of(new BrokerEndpoint("PLAINTEXT", "h", 9092, "PLAINTEXT")), "rack-a", true),
                new BrokerStateRecord(1, 10, false, true),
                new BrokerRegistrationRecord(2, 11, Uuid.randomUuid(), List.of(), null, true),
                new ProducerIdsRecord(1, 2000),
                scram("alice", ScramMechanism.SCRAM_SHA_256),
                scram("alice", ScramMechanism.SCRAM_SHA_512),
                scram("bob", ScramMechanism.SCRAM_SHA_512),
                new RemoveScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_512),
                new AclRecord(new Uuid(7, 1), new AclEntry(ResourceType.TOPIC, "a", PatternType.LITERAL, "User:alice", "*",
                        AclOperation.READ, AclPermissionType.ALLOW)),
                new AclRecord(new Uuid(7, 2), new AclEntry(ResourceType.GROUP, "g-", PatternType.PREFIXED, "User:*", "h",
                        AclOperation.ALL, AclPermissionType.DENY)),
                new RemoveAclRecord(new Uuid(7, 1)),
                ClientQuotaRecord.set(QuotaEntity.user("alice"), "producer_byte_rate", 1024),
                ClientQuotaRecord.set(QuotaEntity.userAndClientId(null, "app"), "request_percentage", 50),
                ClientQuotaRecord.set(QuotaEntity.clientId(null), "consumer_byte_rate", 2048),
                ClientQuotaRecord.removal(QuotaEntity.clientId(null), "consumer_byte_rate"));
    }

    private static ScramCredentialRecord scram(String user, ScramMechanism mechanism) {
        return new ScramCredentialRecord(user, mechanism, new byte[] {1, 2}, new byte[] {3}, new byte[] {4}, 4096);
    }

    @Test
    void imageRecordsRebuildTheImage() {
        MetadataImage image = MetadataImage.EMPTY.apply(history());
        MetadataPublisher publisher = new MetadataPublisher();
        publisher.reset(ImageRecords.of(image), image.recordCount());
        assertEquals(image, publisher.image());
    }

    @Test
    void snapshotFileRoundTripsAndDetectsCorruption() throws IOException {
        MetadataImage image = MetadataImage.EMPTY.apply(history());
        Path file = dir.resolve("snapshot.1_20");
        SnapshotFile.write(file, new SnapshotFile.Contents(1, 20, image.recordCount(), ImageRecords.of(image)));
        SnapshotFile.Contents read = SnapshotFile.read(file);
        assertEquals(20, read.index());
        assertEquals(image.recordCount(), read.recordCount());
        assertEquals(ImageRecords.of(image), read.records());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThrows(IOException.class, () -> SnapshotFile.read(file));
    }

    @Test
    void batchFramingRoundTrips() {
        MetadataBatchCodec.Batch batch = MetadataBatchCodec.decode(MetadataBatchCodec.encode(7, history()));
        assertEquals(7, batch.expectedTerm());
        assertEquals(history().size(), batch.records().size());
    }

    @Test
    void recentBatchesServeContiguousTails() {
        RecentBatches recent = new RecentBatches(5);
        List<MetadataRecord> three = history().subList(0, 3);
        List<MetadataRecord> two = history().subList(3, 5);
        recent.add(3, three);
        recent.add(5, two);
        assertEquals(2, recent.after(0).orElseThrow().size());
        assertEquals(1, recent.after(3).orElseThrow().size());
        assertEquals(0, recent.after(5).orElseThrow().size());
        assertEquals(Optional.empty(), recent.after(1), "not a batch boundary");
        assertEquals(Optional.empty(), recent.after(6), "ahead of this history");
        recent.add(8, three); // evicts the first batch: 8 records > 5 kept
        assertEquals(Optional.empty(), recent.after(0));
        assertEquals(2, recent.after(3).orElseThrow().size());
    }

    @Test
    void parsesVoters() {
        Map<Integer, InetSocketAddress> voters = QuorumConfig.parseVoters("1@localhost:9093, 2@10.0.0.2:9094,3@[::1]:9095");
        assertEquals(3, voters.size());
        assertEquals("localhost", voters.get(1).getHostString());
        assertEquals(9094, voters.get(2).getPort());
        assertEquals("::1", voters.get(3).getHostString());
        assertThrows(IllegalArgumentException.class, () -> QuorumConfig.parseVoters("1@host"));
        assertThrows(IllegalArgumentException.class, () -> QuorumConfig.parseVoters("x@host:1"));
        assertThrows(IllegalArgumentException.class, () -> QuorumConfig.parseVoters("1@a:1,1@b:2"));
        assertThrows(IllegalArgumentException.class, () -> QuorumConfig.parseVoters(""));
    }

    @Test
    void groupIdDerivesFromClusterId() {
        assertEquals(MetadataQuorum.groupId("abc"), MetadataQuorum.groupId("abc"));
        assertEquals(java.util.UUID.nameUUIDFromBytes("millrace:abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                MetadataQuorum.groupId("abc").getUuid());
    }
}
