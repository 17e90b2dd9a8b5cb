package io.millrace.it;

import io.millrace.it.BatchOutcomes.Send;
import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;

/**
 * The batches of {@link RecordErrorsIT} and what a kafka-clients producer reports for each of
 * their records, so that the same scenarios can run against any broker.
 */
final class RecordErrorScenarios {
    static final Map<String, String> ONE_HOUR_WINDOW = Map.of("message.timestamp.before.max.ms", "3600000",
            "message.timestamp.after.max.ms", "3600000");
    /** Records 1, 4 and 6 have no key. */
    private static final List<Integer> KEYLESS = List.of(1, 4, 6);
    /** Records 1 (two hours old) and 3 (two hours ahead) are out of a one-hour window. */
    private static final List<Integer> OUT_OF_WINDOW = List.of(1, 3);
    private static final long HOUR = 3_600_000L;

    private RecordErrorScenarios() {
    }

    static String keylessMessage(String topic) {
        return "Compacted topic cannot accept message without key in topic partition " + topic + "-0";
    }

    static List<Send> mixedKeys() {
        long now = System.currentTimeMillis();
        List<Send> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sends.add(new Send(KEYLESS.contains(i) ? null : "key-" + i, "value-" + i, now));
        }
        return sends;
    }

    static List<String> expectedMixedKeys(String topic) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add(i + " " + (KEYLESS.contains(i) ? "InvalidRecordException: " + keylessMessage(topic)
                    : RecordErrorsIT.PART_OF_A_BAD_BATCH));
        }
        return expected;
    }

    static List<Send> mixedTimestamps(long now) {
        long[] timestamps = {now, now - 2 * HOUR, now, now + 2 * HOUR, now};
        List<Send> sends = new ArrayList<>();
        for (int i = 0; i < timestamps.length; i++) {
            sends.add(new Send("key-" + i, "value-" + i, timestamps[i]));
        }
        return sends;
    }

    /** With the broker's clock, which the messages quote, replaced by {@link #withoutBrokerTime}. */
    static List<String> expectedMixedTimestamps(long now) {
        List<Send> sends = mixedTimestamps(now);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            expected.add(i + " " + (OUT_OF_WINDOW.contains(i) ? "InvalidRecordException: Timestamp "
                    + sends.get(i).timestamp() + " of message with offset " + i + " is out of range. The timestamp"
                    + " should be within [<now-window>, <now+window>]" : RecordErrorsIT.PART_OF_A_BAD_BATCH));
        }
        return expected;
    }

    /** The window bounds in a timestamp message depend on the broker's clock: replaced by placeholders. */
    static List<String> withoutBrokerTime(List<String> outcomes) {
        return outcomes.stream().map(line -> line.replaceAll("within \\[\\d+, \\d+]",
                "within [<now-window>, <now+window>]")).toList();
    }

    /** Every kafka-clients scenario on fresh topics named after {@code prefix}, one line a record. */
    static List<String> runAll(String bootstrap, Admin admin, String prefix) {
        long now = System.currentTimeMillis();
        String compacted = prefix + "-compacted-" + now;
        String window = prefix + "-window-" + now;
        Clients.createTopic(admin, compacted, 1, Map.of("cleanup.policy", "compact"));
        Clients.createTopic(admin, window, 1, ONE_HOUR_WINDOW);
        List<String> lines = new ArrayList<>();
        for (String line : BatchOutcomes.send(bootstrap, compacted, mixedKeys())) {
            lines.add("keyless    " + line.replace(compacted, "<topic>"));
        }
        List<Send> timestamps = mixedTimestamps(now);
        for (String line : withoutBrokerTime(BatchOutcomes.send(bootstrap, window, timestamps))) {
            lines.add("timestamps " + line.replace(String.valueOf(timestamps.get(1).timestamp()), "<now-2h>")
                    .replace(String.valueOf(timestamps.get(3).timestamp()), "<now+2h>"));
        }
        lines.addAll(onTheWire(bootstrap, admin, prefix + "-wire-" + now, now));
        return lines;
    }

    private static void describe(PartitionProduceResponse answer, List<String> lines) {
        lines.add("wire       " + Errors.forCode(answer.errorCode()) + " error_message=" + answer.errorMessage());
        for (var error : answer.recordErrors()) {
            lines.add("wire       record_errors " + error.batchIndex() + ": " + error.batchIndexErrorMessage());
        }
    }

    /**
     * Produce at the newest version both sides speak, a batch with two keyless records to a
     * compacted topic, one with two timestamps out of the window, and LogAppendTime batches (plain
     * and gzip) to a LogAppendTime topic: the partition's error code, error_message and
     * record_errors as answered.
     */
    private static List<String> onTheWire(String bootstrap, Admin admin, String topic, long now) {
        Map<String, String> configs = new HashMap<>(ONE_HOUR_WINDOW);
        configs.put("cleanup.policy", "compact");
        Clients.createTopic(admin, topic, 1, configs);
        ProtocolRequests.TopicRef ref = new ProtocolRequests.TopicRef(topic,
                Clients.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).topicId());
        var keyless = KafkaRecords.batchBuilder().add(now, null, "a").add(now, "k", "b").add(now, null, "c").build();
        var late = KafkaRecords.batchBuilder().add(now - 2 * HOUR, "a", "a").add(now, "k", "b")
                .add(now + 2 * HOUR, "c", "c").build();
        String appendTime = topic + "-append-time";
        Clients.createTopic(admin, appendTime, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        ProtocolRequests.TopicRef appendTimeRef = new ProtocolRequests.TopicRef(appendTime,
                Clients.get(admin.describeTopics(List.of(appendTime)).allTopicNames()).get(appendTime).topicId());
        List<ByteBuffer> stampedByProducer = new ArrayList<>();
        for (BatchCompression codec : List.of(BatchCompression.NONE, BatchCompression.GZIP)) {
            stampedByProducer.add(KafkaRecords.batchBuilder().compression(codec).logAppendTime(now)
                    .add(now, "ab", "c").add(now, (String) null, null).build());
        }
        String[] hostPort = bootstrap.split(":");
        List<String> lines = new ArrayList<>();
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate(hostPort[0],
                Integer.parseInt(hostPort[1]))) {
            describe(ProtocolRequests.produce(raw, ref, 0, keyless), lines);
            describe(ProtocolRequests.produce(raw, ref, 0, late), lines);
            for (ByteBuffer batch : stampedByProducer) {
                describe(ProtocolRequests.produce(raw, appendTimeRef, 0, batch), lines);
            }
        }
        return withoutBrokerTime(lines.stream().map(line -> line.replace(topic, "<topic>")
                .replace(String.valueOf(now), "<now>")
                .replace(String.valueOf(now - 2 * HOUR), "<now-2h>")
                .replace(String.valueOf(now + 2 * HOUR), "<now+2h>"))
                .toList());
    }
}
