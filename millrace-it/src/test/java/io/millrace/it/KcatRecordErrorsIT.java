package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-record produce errors (KIP-467) with librdkafka, through kcat: a batch of keyed and keyless
 * lines to a compacted topic. librdkafka 2.4 and later (Produce v8+) fail exactly the keyless
 * records with INVALID_RECORD and the others with a local error saying another record of the
 * batch was invalid; older ones (Produce v7 at most, no record_errors; Debian 12's kcat is on
 * 2.0.2) fail every record of the batch with INVALID_RECORD, as they do against Apache Kafka 4.4.
 * Either way nothing is written. Skipped, with a line saying so, when kcat is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatRecordErrorsIT {
    private static final String DELIVERY_FAILED = "% Delivery failed for message: ";
    private static final String INVALID_RECORD = "Broker: Broker failed to validate record";
    private static final String OTHER_RECORD_INVALID = "Local: an invalid record in the same batch caused the failure"
            + " of this message too";

    @TempDir
    static Path tempDir;
    static Kcat kcat;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        kcat = Kcat.find(tempDir);
        if (kcat == null) {
            System.out.println("kcat not installed: KcatRecordErrorsIT skipped");
        }
        Assumptions.assumeTrue(kcat != null, "kcat not installed: KcatRecordErrorsIT skipped");
        broker = InProcessBroker.start(tempDir.resolve("data"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void deliveryReportsFailExactlyTheKeylessRecords() throws Exception {
        String topic = "kcat-record-errors";
        Clients.createTopic(admin, topic, 1, Map.of("cleanup.policy", "compact"));
        Kcat.Result produced = kcat.run("k0:v0\nv1\nk2:v2\nk3:v3\nv4\nk5:v5\nv6\nk7:v7\n", "-b", broker.bootstrap(),
                "-P", "-t", topic, "-p", "0", "-K:", "-X", "linger.ms=2000");
        int[] version = kcat.librdkafkaVersion();
        boolean readsRecordErrors = version[0] > 2 || version[0] == 2 && version[1] >= 4;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean keyless = i == 1 || i == 4 || i == 6;
            expected.add(DELIVERY_FAILED + (keyless || !readsRecordErrors ? INVALID_RECORD : OTHER_RECORD_INVALID));
        }
        List<String> reports = produced.stderr().lines().filter(l -> l.startsWith(DELIVERY_FAILED)).toList();
        assertEquals(expected, reports, "librdkafka " + Arrays.toString(version) + ": " + produced);
        assertEquals(1, produced.exitCode(), produced.toString());
        assertEquals(List.of(), Clients.readAll(broker.bootstrap(), new TopicPartition(topic, 0), 0),
                "nothing of the rejected batch is written");
    }
}
