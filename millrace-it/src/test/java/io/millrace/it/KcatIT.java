package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka, through kcat, against an in-process node: produce lines (with and without keys),
 * consume them back, list metadata, and auto-create a topic by producing to it. Skipped, with a
 * line saying so, when kcat is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatIT {
    @TempDir
    static Path tempDir;
    static Kcat kcat;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        kcat = Kcat.find(tempDir);
        if (kcat == null) {
            System.out.println("kcat not installed: KcatIT skipped");
        }
        Assumptions.assumeTrue(kcat != null, "kcat not installed: KcatIT skipped");
        broker = InProcessBroker.start(tempDir.resolve("data"), Map.of("auto.create.topics.enable", "true"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void kcatProducesAndConsumesKeyedLines() throws Exception {
        String topic = "kcat-keyed";
        Clients.createTopic(admin, topic, 1, Map.of());
        Kcat.Result produced = kcat.run("k1:first\nk2:second value\nk3:third\n",
                "-b", broker.bootstrap(), "-P", "-t", topic,
                "-K:");
        assertEquals(0, produced.exitCode(), produced.toString());

        Kcat.Result consumed = kcat.run("", "-b", broker.bootstrap(), "-C", "-t", topic, "-e", "-o", "beginning",
                "-f", "%k:%s\\n");
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(List.of("k1:first", "k2:second value", "k3:third"), consumed.lines());

        List<ConsumerRecord<String, String>> read = Clients.readAll(broker.bootstrap(), new TopicPartition(topic, 0), 0);
        assertEquals(List.of("k1", "k2", "k3"), read.stream().map(ConsumerRecord::key).toList());
    }

    @Test
    void kcatProducesUnkeyedLinesAndListsTheTopic() throws Exception {
        String topic = "kcat-plain";
        Clients.createTopic(admin, topic, 3, Map.of());
        Kcat.Result produced = kcat.run("one\ntwo\nthree\n", "-b", broker.bootstrap(), "-P", "-t", topic, "-p", "1");
        assertEquals(0, produced.exitCode(), produced.toString());

        Kcat.Result consumed = kcat.run("",
                "-b", broker.bootstrap(), "-C", "-t", topic, "-p", "1", "-e", "-o", "beginning",
                "-f", "%p %o %s\\n");
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(List.of("1 0 one", "1 1 two", "1 2 three"), consumed.lines());

        Kcat.Result listed = kcat.run("", "-b", broker.bootstrap(), "-L", "-t", topic);
        assertEquals(0, listed.exitCode(), listed.toString());
        assertTrue(listed.stdout().contains("1 brokers:"), listed.toString());
        assertTrue(listed.stdout().contains("broker " + InProcessBroker.NODE_ID + " at 127.0.0.1:" + broker.port()),
                listed.toString());
        assertTrue(listed.stdout().contains("topic \"" + topic + "\" with 3 partitions"), listed.toString());

        Kcat.Result all = kcat.run("", "-b", broker.bootstrap(), "-L");
        assertEquals(0, all.exitCode(), all.toString());
        assertTrue(all.stdout().contains("topic \"" + topic + "\""), all.toString());
    }

    /** Compatibility item 5: librdkafka's producer relies on Metadata auto-creation. */
    @Test
    void kcatProducingToANewTopicCreatesIt() throws Exception {
        String topic = "kcat-auto-created";
        Kcat.Result produced = kcat.run("hello\n", "-b", broker.bootstrap(), "-P", "-t", topic);
        assertEquals(0, produced.exitCode(), produced.toString());
        Kcat.Result consumed = kcat.run("",
                "-b", broker.bootstrap(), "-C", "-t", topic, "-e", "-o", "beginning", "-f", "%s\\n");
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(List.of("hello"), consumed.lines());
    }
}
