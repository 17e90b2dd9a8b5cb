package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's secured node ("A secured node, step by step"), its {@code server.properties} and
 * {@code client.properties} read from the README as written, with this test's key stores, data
 * directory and free ports in place of the example's paths and ports: a SCRAM user created
 * through the local listener produces and consumes over SASL_SSL. Keeps the example working.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadmeSecuredNodeIT {
    private static final String SECTION = "### A secured node, step by step";

    @TempDir
    Path tempDir;

    @Test
    void theReadmesSecuredNodeServesTheReadmesClientConfig() throws Exception {
        List<Properties> blocks = propertiesBlocks(Path.of("..", "README.md"));
        Map<String, String> server = asMap(blocks.get(0));
        Properties client = blocks.get(1);
        TestCertificates certs = TestCertificates.in(tempDir.resolve("certs"));
        Path keys = certs.keyStore("broker1", "CN=broker1.example.com");
        Path trust = certs.trustStore("truststore", keys);

        Map<String, String> props = new HashMap<>();
        server.forEach((key, value) -> props.put(key, value.replace("0.0.0.0", "127.0.0.1")
                .replaceAll(":9\\d\\d\\d", ":0")
                .replace("/var/lib/millrace", tempDir.resolve("data").toString())
                .replace("/etc/millrace/broker1.p12", keys.toString())
                .replace("broker-secret", TestCertificates.PASSWORD)));
        props.remove("advertised.listeners"); // the example's host name; the bound ports are advertised
        assertEquals("SASL_SSL:SASL_SSL", props.get("listener.security.protocol.map").split(",")[1]);
        try (InProcessBroker broker = InProcessBroker.start(tempDir.resolve("data"), props)) {
            assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", props.get("authorizer.class.name"));
            try (Admin local = Clients.admin(broker.bootstrap())) {
                Clients.get(local.alterUserScramCredentials(List.of(
                        new UserScramCredentialUpsertion("alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                                "alice-secret"),
                        new UserScramCredentialUpsertion("mallory", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                                "mallory-secret"))).all());
                // the README's kafka-acls.sh line: All on topic orders and group orders-app for alice
                Clients.get(local.createAcls(List.of(
                        new org.apache.kafka.common.acl.AclBinding(new org.apache.kafka.common.resource.ResourcePattern(
                                org.apache.kafka.common.resource.ResourceType.TOPIC, "orders",
                                org.apache.kafka.common.resource.PatternType.LITERAL),
                                new org.apache.kafka.common.acl.AccessControlEntry("User:alice", "*",
                                        org.apache.kafka.common.acl.AclOperation.ALL,
                                        org.apache.kafka.common.acl.AclPermissionType.ALLOW)),
                        new org.apache.kafka.common.acl.AclBinding(new org.apache.kafka.common.resource.ResourcePattern(
                                org.apache.kafka.common.resource.ResourceType.GROUP, "orders-app",
                                org.apache.kafka.common.resource.PatternType.LITERAL),
                                new org.apache.kafka.common.acl.AccessControlEntry("User:alice", "*",
                                        org.apache.kafka.common.acl.AclOperation.ALL,
                                        org.apache.kafka.common.acl.AclPermissionType.ALLOW)))).all());
            }
            Map<String, Object> secured = new HashMap<>();
            client.forEach((key, value) -> secured.put((String) key, ((String) value)
                    .replace("/etc/millrace/truststore.p12", trust.toString())
                    .replace("trust-secret", TestCertificates.PASSWORD)));
            String bootstrap = "127.0.0.1:" + broker.port("SASL_SSL");
            try (Admin admin = Clients.admin(bootstrap, secured)) {
                Clients.createTopic(admin, "orders", 1, Map.of());
            }
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, secured)) {
                producer.send(new ProducerRecord<>("orders", "k", "over SASL_SSL")).get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> mallory = new HashMap<>(secured);
            mallory.put("sasl.jaas.config", ((String) secured.get("sasl.jaas.config")).replace("alice", "mallory"));
            mallory.put("max.block.ms", "10000");
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, mallory)) {
                java.util.concurrent.ExecutionException denied = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>("orders", "k", "denied")).get(30, TimeUnit.SECONDS));
                org.junit.jupiter.api.Assertions.assertInstanceOf(
                        org.apache.kafka.common.errors.TopicAuthorizationException.class, denied.getCause());
            }
            TopicPartition partition = new TopicPartition("orders", 0);
            try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, secured)) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                List<ConsumerRecord<String, String>> read = Clients.pollUntil(consumer, partition, 1);
                assertEquals("over SASL_SSL", read.get(0).value());
            }
        }
    }

    /** The {@code properties} code blocks of the README's secured-node section, in order. */
    private static List<Properties> propertiesBlocks(Path readme) throws IOException {
        String text = Files.readString(readme);
        int start = text.indexOf(SECTION);
        assertTrue(start >= 0, "the README has the section " + SECTION);
        int end = text.indexOf("\n### ", start + SECTION.length());
        String section = text.substring(start, end < 0 ? text.length() : end);
        List<Properties> blocks = new ArrayList<>();
        int at = 0;
        while ((at = section.indexOf("```properties\n", at)) >= 0) {
            int close = section.indexOf("```", at + 14);
            Properties block = new Properties();
            block.load(new StringReader(section.substring(at + 14, close)));
            blocks.add(block);
            at = close + 3;
        }
        assertEquals(2, blocks.size(), "server.properties and client.properties");
        return blocks;
    }

    private static Map<String, String> asMap(Properties properties) {
        Map<String, String> map = new HashMap<>();
        properties.forEach((key, value) -> map.put((String) key, (String) value));
        return map;
    }
}
