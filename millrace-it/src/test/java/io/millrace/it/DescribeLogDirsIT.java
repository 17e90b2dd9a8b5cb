package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.testkit.BootstrapServers;
import io.millrace.testkit.MillraceTest;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DescribeLogDirs through kafka-clients' Admin: the broker's log dir, its replicas' sizes, the volume's bytes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@MillraceTest(topics = "sized:2")
class DescribeLogDirsIT {

    @Test
    void everyReplicaIsListedWithItsSizeAndTheVolumeWithItsBytes(@BootstrapServers String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("sized", 0, "k" + i, "value-" + i));
            }
        }
        try (Admin admin = Admin.create(p)) {
            int broker = admin.describeCluster().nodes().get().iterator().next().id();
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker);
            assertEquals(1, dirs.size(), dirs.toString());
            LogDirDescription dir = dirs.values().iterator().next();
            assertEquals(null, dir.error());
            assertTrue(dir.totalBytes().orElse(-1) > 0 && dir.usableBytes().orElse(-1) > 0, dir.toString());
            ReplicaInfo written = dir.replicaInfos().get(new TopicPartition("sized", 0));
            ReplicaInfo empty = dir.replicaInfos().get(new TopicPartition("sized", 1));
            assertTrue(written.size() > 100 * 8, "100 records take more than 800 bytes: " + written);
            assertEquals(0, empty.size());
            assertEquals(0, written.offsetLag());

            var replicas = admin.describeReplicaLogDirs(List.of(new TopicPartitionReplica("sized", 0, broker))).all().get();
            assertEquals(dirs.keySet().iterator().next(),
                    replicas.get(new TopicPartitionReplica("sized", 0, broker)).getCurrentReplicaLogDir());
        }
    }
}
