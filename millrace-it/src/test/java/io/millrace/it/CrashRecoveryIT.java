package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as an OS process: a clean stop (SIGTERM) keeps every record, and SIGKILL in the
 * middle of an acks=all idempotent stream loses no acknowledged record, leaves a log that reads
 * cleanly from offset 0, keeps no duplicate, and takes new writes at the next offsets; a partial
 * batch left at the tail by a cut-short write is dropped on restart.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {
    private static final Duration STREAM_PROGRESS_TIMEOUT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 2;
    /** Acknowledgements awaited before each kill and after the last restart. */
    private static final int ACKS_PER_CYCLE = 20_000;

    @RegisterExtension
    final BrokerLogOnFailure brokerLog = new BrokerLogOnFailure();

    @TempDir
    Path tempDir;
    BrokerProcess broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aCleanRestartKeepsEveryRecord(TestInfo test) throws Exception {
        broker = brokerLog.watch(BrokerProcess.start(tempDir.resolve("data"), logFile(test), Map.of()));
        String topic = "durable";
        createTopic(topic);
        int count = 5_000;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int n = 0; n < count; n++) {
                producer.send(new ProducerRecord<>(topic, n % PARTITIONS, "k" + n, Integer.toString(n)));
            }
            producer.flush();
        }

        broker.stopGracefully();
        broker.restart();

        Map<Integer, Long> ends = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<ConsumerRecord<String, String>> read = Clients.readAll(broker.bootstrap(), tp(topic, p), 0);
            assertEquals(count / PARTITIONS, read.size(), "records in partition " + p + " after the restart");
            for (int i = 0; i < read.size(); i++) {
                assertEquals(i, read.get(i).offset());
                assertEquals(Integer.toString(i * PARTITIONS + p), read.get(i).value());
                assertEquals("k" + (i * PARTITIONS + p), read.get(i).key());
            }
            ends.put(p, (long) read.size());
        }
        assertNewWritesContinueAt(topic, ends);
    }

    @Test
    void killNineMidStreamLosesNoAcknowledgedRecord(TestInfo test) throws Exception {
        broker = brokerLog.watch(BrokerProcess.start(tempDir.resolve("data"), logFile(test), Map.of()));
        String topic = "crash";
        createTopic(topic);

        Map<Integer, NumberedStream.Ack> acked;
        int sent;
        int failed;
        try (NumberedStream stream = new NumberedStream(broker.bootstrap(), topic, PARTITIONS).start()) {
            for (int cycle = 1; cycle <= 2; cycle++) {
                awaitProgress(stream, ACKS_PER_CYCLE);
                broker.kill9();
                broker.restart();
            }
            awaitProgress(stream, ACKS_PER_CYCLE);
            stream.stopAndDrain(Duration.ofSeconds(60));
            acked = stream.acked();
            sent = stream.sentCount();
            failed = stream.failedCount();
            if (failed > 0) {
                System.out.println("NumberedStream: " + failed + " of " + sent + " sends failed, first: "
                        + stream.firstFailure());
            }
        }
        assertTrue(acked.size() >= 3 * ACKS_PER_CYCLE, "acknowledged " + acked.size());

        Map<Integer, Long> ends = new HashMap<>();
        Map<Integer, NumberedStream.Ack> found = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<ConsumerRecord<String, String>> read = Clients.readAll(broker.bootstrap(), tp(topic, p), 0);
            for (int i = 0; i < read.size(); i++) {
                ConsumerRecord<String, String> record = read.get(i);
                assertEquals(i, record.offset(), "partition " + p + " reads cleanly from offset 0: no gap");
                int number = Integer.parseInt(record.value());
                assertEquals(p, number % PARTITIONS, "number " + number + " is in its partition");
                NumberedStream.Ack previous = found.put(number, new NumberedStream.Ack(p, record.offset()));
                assertEquals(null, previous, "number " + number + " is written once (idempotence), also at "
                        + previous);
            }
            ends.put(p, (long) read.size());
        }
        List<Integer> lost = new ArrayList<>();
        acked.forEach((number, ack) -> {
            if (!ack.equals(found.get(number))) {
                lost.add(number);
            }
        });
        lost.sort(null);
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged numbers are missing or moved, first: "
                + lost.subList(0, Math.min(10, lost.size())) + " e.g. acked at "
                + (lost.isEmpty() ? null : acked.get(lost.get(0))) + ", found at "
                + (lost.isEmpty() ? null : found.get(lost.get(0))));
        assertNewWritesContinueAt(topic, ends);
    }

    /** A write the kill cut short (a partial batch at the end of the active segment) is dropped. */
    @Test
    void aTornBatchAtTheTailIsTruncatedOnRestart(TestInfo test) throws Exception {
        Path data = tempDir.resolve("data");
        broker = brokerLog.watch(BrokerProcess.start(data, logFile(test), Map.of()));
        String topic = "torn";
        createTopic(topic);
        int count = 1_000;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int n = 0; n < count; n++) {
                producer.send(new ProducerRecord<>(topic, n % PARTITIONS, null, Integer.toString(n)));
            }
            producer.flush();
        }
        broker.kill9();

        Path activeSegment;
        try (Stream<Path> files = Files.list(data.resolve(topic + "-0"))) {
            activeSegment = files.filter(f -> f.getFileName().toString().endsWith(".log")).max(Path::compareTo)
                    .orElseThrow();
        }
        ByteBuffer torn = ByteBuffer.allocate(40)
                .putLong(count / PARTITIONS) // base offset of the batch that was being written
                .putInt(4_000)               // its length: far more than made it to disk
                .putInt(-1).put((byte) 2);   // leader epoch, magic v2, then the write stopped
        Files.write(activeSegment, torn.array(), StandardOpenOption.APPEND);

        broker.restart();
        Map<Integer, Long> ends = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<ConsumerRecord<String, String>> read = Clients.readAll(broker.bootstrap(), tp(topic, p), 0);
            assertEquals(count / PARTITIONS, read.size(), "records in partition " + p);
            for (int i = 0; i < read.size(); i++) {
                assertEquals(i, read.get(i).offset());
                assertEquals(Integer.toString(i * PARTITIONS + p), read.get(i).value());
            }
            ends.put(p, (long) read.size());
        }
        assertNewWritesContinueAt(topic, ends);
    }

    private void awaitProgress(NumberedStream stream, int more) {
        int target = stream.ackedCount() + more;
        Await.until(target + " acknowledged records (" + stream.failedCount() + " failed)", STREAM_PROGRESS_TIMEOUT,
                () -> stream.ackedCount() >= target);
    }

    private void assertNewWritesContinueAt(String topic, Map<Integer, Long> ends) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int p = 0; p < PARTITIONS; p++) {
                long offset = producer.send(new ProducerRecord<>(topic, p, "after", "after-restart"))
                        .get(30, TimeUnit.SECONDS).offset();
                assertEquals(ends.get(p), offset, "a new write to partition " + p + " takes the next offset");
            }
        }
    }

    private void createTopic(String topic) {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, topic, PARTITIONS, Map.of());
        }
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static Path logFile(TestInfo test) {
        return Path.of("target", "broker-logs",
                CrashRecoveryIT.class.getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName() + ".log");
    }
}
