package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.it.ProtocolRequests.TopicRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A default kafka-clients producer (idempotent, acks=all) and an assign/seek consumer (no group)
 * against one in-process node: exact round trips, every codec, volume and order, and a seek into
 * the middle of a batch (compatibility item 3).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProduceConsumeIT {
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
    void keysValuesHeadersAndTimestampsRoundTripExactly() throws Exception {
        String topic = "exact";
        Clients.createTopic(admin, topic, 1, Map.of());
        long now = System.currentTimeMillis();
        List<ProducerRecord<byte[], byte[]>> sent = List.of(
                new ProducerRecord<>(topic, 0, now - 86_400_000L, bytes("k1"), bytes("v1")),
                new ProducerRecord<>(topic, 0, now, null, bytes("no key")),
                new ProducerRecord<>(topic, 0, now + 1, bytes("tombstone"), (byte[]) null),
                new ProducerRecord<>(topic, 0, now + 2, new byte[0], new byte[0]),
                new ProducerRecord<>(topic, 0, 0L, bytes("epoch"), bytes("ünïcødé ✓ \u0000 end")),
                new ProducerRecord<>(topic, 0, now + 3, bytes("headers"), bytes("h"), List.<Header>of(
                        new RecordHeader("trace", bytes("abc")),
                        new RecordHeader("trace", bytes("second with the same key")),
                        new RecordHeader("null-value", (byte[]) null),
                        new RecordHeader("empty", new byte[0]))),
                new ProducerRecord<>(topic, 0, now + 4, randomBytes(1, 300), randomBytes(2, 70_000)));
        List<RecordMetadata> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(broker.bootstrap(), Map.of())) {
            for (ProducerRecord<byte[], byte[]> record : sent) {
                acks.add(producer.send(record).get(30, TimeUnit.SECONDS));
            }
        }
        for (int i = 0; i < acks.size(); i++) {
            assertEquals(i, acks.get(i).offset(), "offset of record " + i);
            assertEquals(sent.get(i).timestamp(), acks.get(i).timestamp(), "acked timestamp of record " + i);
        }

        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> read;
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.bytesConsumer(broker.bootstrap(), Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            read = Clients.pollUntil(consumer, tp, sent.size());
        }
        assertEquals(sent.size(), read.size());
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> expected = sent.get(i);
            ConsumerRecord<byte[], byte[]> actual = read.get(i);
            assertEquals(i, actual.offset());
            assertArrayEquals(expected.key(), actual.key(), "key of record " + i);
            assertArrayEquals(expected.value(), actual.value(), "value of record " + i);
            assertEquals(expected.timestamp(), actual.timestamp(), "timestamp of record " + i);
            assertEquals(TimestampType.CREATE_TIME, actual.timestampType());
            assertHeadersEqual(expected.headers().toArray(), actual.headers().toArray(), i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCodecRoundTrips(String codec) throws Exception {
        String topic = "codec-" + codec;
        Clients.createTopic(admin, topic, 1, Map.of());
        int count = 2_000;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 20))) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, 1_000_000L + i, "key-" + i,
                        "value " + i + " " + "compressible ".repeat(i % 20));
                record.headers().add("n", bytes(Integer.toString(i)));
                futures.add(producer.send(record));
            }
            for (Future<RecordMetadata> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        List<ConsumerRecord<String, String>> read = Clients.readAll(broker.bootstrap(), new TopicPartition(topic, 0), 0);
        assertEquals(count, read.size());
        for (int i = 0; i < count; i++) {
            ConsumerRecord<String, String> r = read.get(i);
            assertEquals(i, r.offset());
            assertEquals("key-" + i, r.key());
            assertEquals("value " + i + " " + "compressible ".repeat(i % 20), r.value());
            assertEquals(1_000_000L + i, r.timestamp());
            assertArrayEquals(bytes(Integer.toString(i)), r.headers().lastHeader("n").value());
        }
    }

    @Test
    void hundredThousandRecordsOverThreePartitionsComeBackCompleteAndInOrder() throws Exception {
        String topic = "bulk";
        int partitions = 3;
        int count = 100_000;
        Clients.createTopic(admin, topic, partitions, Map.of());
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, "k" + i, Integer.toString(i)),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        assertEquals(null, failure.get(), "every send is acknowledged");

        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap())) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Clients.CALL_TIMEOUT);
            long[] nextOffset = new long[partitions];
            int[] nextValue = {0, 1, 2};
            int total = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (total < count) {
                assertTrue(System.nanoTime() < deadline, "read " + total + " of " + count + " records in time");
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    int p = r.partition();
                    assertEquals(nextOffset[p], r.offset(), "offsets are contiguous in partition " + p);
                    assertEquals(Integer.toString(nextValue[p]), r.value(), "order in partition " + p);
                    assertEquals("k" + nextValue[p], r.key());
                    nextOffset[p]++;
                    nextValue[p] += partitions;
                    total++;
                }
            }
            for (int p = 0; p < partitions; p++) {
                long expected = (count - p + partitions - 1) / partitions;
                assertEquals(expected, nextOffset[p], "records in partition " + p);
                assertEquals(expected, ends.get(tps.get(p)), "end offset of partition " + p);
            }
        }
    }

    /** Compatibility item 3: a fetch inside a batch returns the whole batch; the client skips. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "zstd"})
    void seekIntoTheMiddleOfABatchReturnsExactlyTheRecordsFromThatOffset(String codec) throws Exception {
        String topic = "mid-batch-" + codec;
        Clients.createTopic(admin, topic, 1, Map.of());
        int count = 100;
        long seekTo = 37;
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                ProducerConfig.LINGER_MS_CONFIG, 60_000,
                ProducerConfig.BATCH_SIZE_CONFIG, 1_048_576,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000))) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                assertEquals(i, futures.get(i).get(30, TimeUnit.SECONDS).offset());
            }
        }

        Uuid topicId = Clients.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).topicId();
        TopicRef ref = new TopicRef(topic, topicId);
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            FetchResponseData.PartitionData whole = ProtocolRequests.fetch(raw, ref, 0, 0, 1_048_576);
            assertEquals(Errors.NONE.code(), whole.errorCode());
            List<RecordBatch> batches = new ArrayList<>();
            ProtocolRequests.records(whole).batches().forEach(batches::add);
            assertEquals(1, batches.size(), "the producer wrote one batch");
            assertEquals(0, batches.get(0).baseOffset());
            assertEquals(count - 1, batches.get(0).lastOffset());

            FetchResponseData.PartitionData middle = ProtocolRequests.fetch(raw, ref, 0, seekTo, 1_048_576);
            assertEquals(Errors.NONE.code(), middle.errorCode());
            RecordBatch first = ProtocolRequests.records(middle).batches().iterator().next();
            assertNotNull(first, "a fetch inside a batch returns that batch");
            assertEquals(0, first.baseOffset(), "the whole containing batch is returned");
            assertEquals(count - 1, first.lastOffset());
        }

        List<ConsumerRecord<String, String>> read =
                Clients.readAll(broker.bootstrap(), new TopicPartition(topic, 0), seekTo);
        assertEquals(count - seekTo, read.size());
        for (int i = 0; i < read.size(); i++) {
            long offset = seekTo + i;
            assertEquals(offset, read.get(i).offset());
            assertEquals("v" + offset, read.get(i).value());
        }
    }

    private static void assertHeadersEqual(Header[] expected, Header[] actual, int record) {
        assertEquals(expected.length, actual.length, "header count of record " + record);
        for (int h = 0; h < expected.length; h++) {
            assertEquals(expected[h].key(), actual[h].key(), "header " + h + " key of record " + record);
            assertArrayEquals(expected[h].value(), actual[h].value(), "header " + h + " value of record " + record);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
