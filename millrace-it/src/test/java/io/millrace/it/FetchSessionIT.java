package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.it.ProtocolRequests.TopicRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental fetch sessions (KIP-227) against one broker: the session's life with raw Fetch
 * requests (full, idle, one partition with news, forgotten partitions, the session errors), and
 * Kafka's Java consumer on many partitions, whose idle fetches shrink to a few dozen bytes.
 */
class FetchSessionIT {
    private static final String TOPIC = "sessions";
    private static final int PARTITIONS = 100;

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static TopicRef topic;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir);
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, PARTITIONS, Map.of());
            topic = new TopicRef(TOPIC, Clients.get(admin.describeTopics(List.of(TOPIC)).allTopicNames())
                    .get(TOPIC).topicId());
        }
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(broker);
    }

    private static FetchRequestData fetch(int sessionId, int epoch, int... partitions) {
        FetchTopic fetchTopic = new FetchTopic().setTopicId(topic.id());
        for (int p : partitions) {
            fetchTopic.partitions().add(new FetchPartition().setPartition(p).setFetchOffset(0).setPartitionMaxBytes(65536));
        }
        return new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
                .setSessionId(sessionId).setSessionEpoch(epoch)
                .setTopics(partitions.length == 0 ? new ArrayList<>() : new ArrayList<>(List.of(fetchTopic)));
    }

    private static FetchResponseData send(RawKafkaConnection raw, FetchRequestData request, short version) {
        return (FetchResponseData) raw.send(request, version).data();
    }

    private static List<Integer> partitionsOf(FetchResponseData response) {
        List<Integer> out = new ArrayList<>();
        response.responses().forEach(t -> t.partitions().forEach(p -> out.add(p.partitionIndex())));
        return out;
    }

    @Test
    void aSessionAnswersOnlyWhatChangedAndRejectsStaleOrUnknownSessions() throws Exception {
        int[] all = IntStream.range(0, PARTITIONS).toArray();
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port());
             KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            short version = raw.version(ApiKeys.FETCH);
            assertTrue(version >= 13, "topic ids");
            FetchResponseData full = send(raw, fetch(0, 0, all), version);
            int session = full.sessionId();
            assertNotEquals(0, session, "a full fetch at epoch 0 opens a session");
            assertEquals(PARTITIONS, partitionsOf(full).size());

            FetchResponseData idle = send(raw, fetch(session, 1), version);
            assertEquals(Errors.NONE.code(), idle.errorCode());
            assertEquals(session, idle.sessionId());
            assertEquals(List.of(), partitionsOf(idle), "nothing changed: no partition");
            int fullBytes = full.size(new ObjectSerializationCache(), version);
            int idleBytes = idle.size(new ObjectSerializationCache(), version);
            assertTrue(idleBytes * 20 < fullBytes, "idle " + idleBytes + " bytes, full " + fullBytes);

            producer.send(new ProducerRecord<>(TOPIC, 7, null, "news")).get();
            FetchResponseData news = send(raw, fetch(session, 2), version);
            assertEquals(List.of(7), partitionsOf(news));
            PartitionData seven = news.responses().get(0).partitions().get(0);
            assertEquals(1, seven.highWatermark());
            assertTrue(seven.records().sizeInBytes() > 0);

            FetchRequestData moved = fetch(session, 3, 7);
            moved.topics().get(0).partitions().get(0).setFetchOffset(1);
            moved.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopicId(topic.id())
                    .setPartitions(List.of(0, 1)));
            assertEquals(List.of(), partitionsOf(send(raw, moved, version)), "partition 7 read from its new offset");

            assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH.code(), send(raw, fetch(session, 3), version).errorCode());
            assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), send(raw, fetch(session + 1, 1), version).errorCode());
            FetchRequestData byName = fetch(session, 4);
            assertEquals(Errors.FETCH_SESSION_TOPIC_ID_ERROR.code(), send(raw, byName, (short) 12).errorCode());
            assertEquals(Errors.NONE.code(), send(raw, fetch(session, 4), version).errorCode(), "errors leave it as it was");

            FetchResponseData sessionless = send(raw, fetch(session, -1, 0, 1), version);
            assertEquals(0, sessionless.sessionId());
            assertEquals(List.of(0, 1), partitionsOf(sessionless));
            assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), send(raw, fetch(session, 5), version).errorCode(),
                    "epoch -1 closed the session it named");
        }
    }

    @Test
    void javaConsumerOnManyPartitionsFetchesIncrementally() {
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap());
             KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                     Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50, ConsumerConfig.METADATA_MAX_AGE_CONFIG, 300_000))) {
            for (int p = 0; p < PARTITIONS; p += 3) {
                producer.send(new ProducerRecord<>(TOPIC, p, null, "v" + p));
            }
            producer.flush();
            consumer.assign(partitions);
            Set<String> read = new HashSet<>();
            Await.until("every record read", Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value().startsWith("v")) {
                        read.add(r.value());
                    }
                }
                return read.size() >= (PARTITIONS + 2) / 3;
            });
            ConsumerWireBytes before = ConsumerWireBytes.of(consumer, InProcessBroker.NODE_ID);
            Await.until("twenty idle fetches", Duration.ofSeconds(60), () -> {
                assertTrue(consumer.poll(Duration.ofMillis(100)).isEmpty(), "no new records");
                return ConsumerWireBytes.of(consumer, InProcessBroker.NODE_ID).since(before).responses() >= 20;
            });
            ConsumerWireBytes idle = ConsumerWireBytes.of(consumer, InProcessBroker.NODE_ID).since(before);
            // A full fetch of 100 partitions is over 3 KB each way; an incremental idle one a few dozen bytes.
            assertTrue(idle.bytesPerRequest() < 300, "idle request bytes " + idle.bytesPerRequest());
            assertTrue(idle.bytesPerResponse() < 300, "idle response bytes " + idle.bytesPerResponse());

            producer.send(new ProducerRecord<>(TOPIC, 50, null, "late")).get();
            Await.until("the late record read", Duration.ofSeconds(60),
                    () -> consumer.poll(Duration.ofMillis(100)).records(new TopicPartition(TOPIC, 50)).stream()
                            .anyMatch(r -> r.value().equals("late")));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
