package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.it.BatchOutcomes.Send;
import io.millrace.it.ProtocolRequests.TopicRef;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-record produce errors (KIP-467) with a default kafka-clients producer: a batch rejected
 * because of some of its records fails exactly those with the broker's message; the client fails
 * the batch's other records with a KafkaException naming the invalid records (kafka-clients 4.4
 * does not re-send them; it does the same against Apache Kafka 4.4) and nothing of the batch is
 * written. Also Produce v8+ on the wire: {@code record_errors} and {@code error_message}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordErrorsIT {
    static final String PART_OF_A_BAD_BATCH = "KafkaException: Failed to append record because it was part of a"
            + " batch which had one more more invalid records";
    private static final long HOUR = 3_600_000L;

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir);
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void onACompactedTopicExactlyTheKeylessRecordsOfTheBatchFail() {
        String topic = "record-errors-compacted";
        Clients.createTopic(admin, topic, 1, Map.of("cleanup.policy", "compact"));
        List<String> outcomes = BatchOutcomes.send(broker.bootstrap(), topic, RecordErrorScenarios.mixedKeys());

        assertEquals(RecordErrorScenarios.expectedMixedKeys(topic), outcomes);
        assertEquals(0, endOffset(topic), "nothing of the rejected batch is written");

        List<Send> keyed = RecordErrorScenarios.mixedKeys().stream().filter(s -> s.key() != null).toList();
        List<String> resent = BatchOutcomes.send(broker.bootstrap(), topic, keyed);
        assertTrue(resent.stream().allMatch(line -> line.contains(" delivered at ")), resent.toString());
        List<ConsumerRecord<String, String>> read =
                Clients.readAll(broker.bootstrap(), new TopicPartition(topic, 0), 0);
        assertEquals(keyed.stream().map(Send::key).toList(), read.stream().map(ConsumerRecord::key).toList());
    }

    @Test
    void aBatchWithOneKeylessRecordFailsItWithInvalidRecord() {
        String topic = "record-errors-one-keyless";
        Clients.createTopic(admin, topic, 1, Map.of("cleanup.policy", "compact"));
        long now = System.currentTimeMillis();
        List<String> outcomes = BatchOutcomes.send(broker.bootstrap(), topic,
                List.of(new Send("a", "1", now), new Send(null, "2", now)));
        assertEquals(List.of("0 " + PART_OF_A_BAD_BATCH, "1 InvalidRecordException: "
                + RecordErrorScenarios.keylessMessage(topic)), outcomes);
    }

    @Test
    void exactlyTheRecordsWithTimestampsOutOfRangeFail() {
        String topic = "record-errors-timestamps";
        Clients.createTopic(admin, topic, 1, RecordErrorScenarios.ONE_HOUR_WINDOW);
        long now = System.currentTimeMillis();
        List<String> outcomes = BatchOutcomes.send(broker.bootstrap(), topic,
                RecordErrorScenarios.mixedTimestamps(now));

        assertEquals(RecordErrorScenarios.expectedMixedTimestamps(now),
                RecordErrorScenarios.withoutBrokerTime(outcomes));
        assertEquals(0, endOffset(topic), "nothing of the rejected batch is written");
    }

    @Test
    void aBatchWithOneOutOfRangeTimestampFailsItWithInvalidTimestamp() {
        String topic = "record-errors-one-timestamp";
        Clients.createTopic(admin, topic, 1, RecordErrorScenarios.ONE_HOUR_WINDOW);
        long now = System.currentTimeMillis();
        List<String> outcomes = BatchOutcomes.send(broker.bootstrap(), topic,
                List.of(new Send("a", "1", now), new Send("b", "2", now + 2 * HOUR)));
        assertEquals(List.of("0 " + PART_OF_A_BAD_BATCH, "1 InvalidTimestampException: Timestamp " + (now + 2 * HOUR)
                + " of message with offset 1 is out of range. The timestamp should be within [<now-window>,"
                + " <now+window>]"), RecordErrorScenarios.withoutBrokerTime(outcomes));
    }

    /** The wire: record_errors and error_message from v8, neither before (the error code is the same). */
    @Test
    void produceV8AndLaterAnswerRecordErrorsAndTheErrorMessage() {
        String name = "record-errors-wire";
        Clients.createTopic(admin, name, 1, Map.of("cleanup.policy", "compact"));
        TopicRef topic = new TopicRef(name, Clients.get(admin.describeTopics(List.of(name)).allTopicNames())
                .get(name).topicId());
        long now = System.currentTimeMillis();
        var batch = KafkaRecords.batchBuilder().add(now, null, "a").add(now, "k", "b").add(now, null, "c").build();
        String keyless = RecordErrorScenarios.keylessMessage(name);
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            for (short version = raw.oldestVersion(ApiKeys.PRODUCE);
                 version <= raw.version(ApiKeys.PRODUCE); version++) {
                PartitionProduceResponse answer = ProtocolRequests.produce(raw, version, topic, 0, batch);
                assertEquals(Errors.INVALID_RECORD, Errors.forCode(answer.errorCode()), "v" + version);
                if (version < 8) {
                    assertEquals(List.of(), answer.recordErrors(), "v" + version);
                    continue;
                }
                assertEquals(List.of(
                        new BatchIndexAndErrorMessage().setBatchIndex(0).setBatchIndexErrorMessage(keyless),
                        new BatchIndexAndErrorMessage().setBatchIndex(2).setBatchIndexErrorMessage(keyless)),
                        answer.recordErrors(), "v" + version);
                assertEquals("One or more records have been rejected due to 2 record errors in total, and only showing"
                        + " the first three errors at most: [RecordError(batchIndex=0, message='" + keyless + "'),"
                        + " RecordError(batchIndex=2, message='" + keyless + "')]",
                        answer.errorMessage(), "v" + version);
            }
        }
        assertEquals(0, endOffset(name));
    }

    /**
     * With {@code -Drecord.errors.other.bootstrap=host:port} (say an Apache Kafka 4.4 broker), runs
     * the kafka-clients scenarios against it too and prints both; they must match. Skipped otherwise.
     */
    @Test
    void sameOutcomesAsAnotherBroker() {
        String other = System.getProperty("record.errors.other.bootstrap", "");
        Assumptions.assumeFalse(other.isEmpty(), "no record.errors.other.bootstrap");
        List<String> millrace = RecordErrorScenarios.runAll(broker.bootstrap(), admin, "millrace");
        List<String> kafka;
        try (Admin otherAdmin = Clients.admin(other)) {
            kafka = RecordErrorScenarios.runAll(other, otherAdmin, "other");
        }
        List<String> table = new ArrayList<>();
        for (int i = 0; i < Math.max(millrace.size(), kafka.size()); i++) {
            table.add("millrace | " + (i < millrace.size() ? millrace.get(i) : "") + "\nother    | "
                    + (i < kafka.size() ? kafka.get(i) : ""));
        }
        System.out.println("Same scenarios, Millrace vs " + other + ":\n" + String.join("\n", table));
        assertEquals(kafka, millrace);
    }

    private static long endOffset(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (var consumer = Clients.consumer(broker.bootstrap())) {
            return consumer.endOffsets(Set.of(tp), Clients.CALL_TIMEOUT).get(tp);
        }
    }
}
