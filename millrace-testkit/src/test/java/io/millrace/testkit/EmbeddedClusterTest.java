package io.millrace.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The plain Java API with three nodes in this JVM: every node registers, topics get three replicas, acks=all works. */
class EmbeddedClusterTest {

    @Test
    void threeNodesReplicateATopic() throws Exception {
        try (EmbeddedMillrace millrace = EmbeddedMillrace.builder().nodes(3).topic("replicated", 2).start()) {
            System.out.println("millrace-testkit: 3 embedded nodes started (topic created) in "
                    + millrace.startTime().toMillis() + " ms");
            try (Admin admin = Admin.create(millrace.clientProperties())) {
                assertEquals(3, admin.describeCluster().nodes().get().size());
                TopicDescription topic = admin.describeTopics(Set.of("replicated")).allTopicNames().get().get("replicated");
                topic.partitions().forEach(p -> assertEquals(3, p.replicas().size(), "replicas of " + p));
            }
            Properties props = millrace.clientProperties();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("replicated", "key", "value")).get();
            }
        }
    }
}
