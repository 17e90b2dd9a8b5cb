package io.millrace.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Factories for kafka-clients producers, consumers and admins with test-friendly timeouts
 * (a broken broker makes a call fail in seconds rather than hang), and small helpers built on
 * them. Producers keep the client's defaults (idempotence on, acks=all) unless a test overrides
 * them. Stateless; each client returned must be closed by the caller.
 */
public final class Clients {
    /** Bounds every blocking future the tests wait on. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private Clients() {
    }

    public static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> overrides) {
        return new KafkaProducer<>(producerProps(bootstrap, overrides), new StringSerializer(), new StringSerializer());
    }

    public static KafkaProducer<String, String> producer(String bootstrap) {
        return producer(bootstrap, Map.of());
    }

    public static KafkaProducer<byte[], byte[]> bytesProducer(String bootstrap, Map<String, Object> overrides) {
        return new KafkaProducer<>(producerProps(bootstrap, overrides), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    public static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, Object> overrides) {
        return new KafkaConsumer<>(consumerProps(bootstrap, overrides), new StringDeserializer(),
                new StringDeserializer());
    }

    public static KafkaConsumer<String, String> consumer(String bootstrap) {
        return consumer(bootstrap, Map.of());
    }

    public static KafkaConsumer<byte[], byte[]> bytesConsumer(String bootstrap, Map<String, Object> overrides) {
        return new KafkaConsumer<>(consumerProps(bootstrap, overrides), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    public static Admin admin(String bootstrap) {
        return admin(bootstrap, Map.of());
    }

    public static Admin admin(String bootstrap, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "millrace-it-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        props.put(AdminClientConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        props.putAll(overrides);
        return Admin.create(props);
    }

    /** Creates a topic (replication factor 1) with optional configs and waits for the answer. */
    public static void createTopic(Admin admin, String topic, int partitions, Map<String, String> configs) {
        NewTopic newTopic = new NewTopic(topic, partitions, (short) 1).configs(configs);
        get(admin.createTopics(List.of(newTopic)).all());
    }

    /**
     * Reads {@code partition} from {@code from} (inclusive) up to its current end offset, with
     * a fresh assign/seek consumer (no group).
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrap, TopicPartition partition, long from) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), CALL_TIMEOUT).get(partition);
            consumer.seek(partition, from);
            return pollUntil(consumer, partition, end);
        }
    }

    /** Polls an assigned consumer until its position on {@code partition} reaches {@code end}. */
    public static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, TopicPartition partition,
                                                             long end) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.position(partition, CALL_TIMEOUT) < end) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out reading " + partition + ": position "
                        + consumer.position(partition) + ", end " + end + ", read " + records.size());
            }
            for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                records.add(record);
            }
        }
        return records;
    }

    /** Waits for a client future, bounded by {@link #CALL_TIMEOUT}; rethrows its cause unwrapped. */
    public static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ClientCallFailed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("No answer within " + CALL_TIMEOUT, e);
        }
    }

    /** A failed client call; {@link #getCause()} is the client's exception. */
    public static final class ClientCallFailed extends RuntimeException {
        ClientCallFailed(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    private static Properties producerProps(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "millrace-it-producer");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        props.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        props.putAll(overrides);
        Properties p = new Properties();
        p.putAll(props);
        return p;
    }

    private static Properties consumerProps(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-it-consumer");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        props.putAll(overrides);
        Properties p = new Properties();
        p.putAll(props);
        return p;
    }

    /** Sets configs of group {@code groupId} (IncrementalAlterConfigs, SET), e.g. a share group's share.auto.offset.reset. */
    public static void setGroupConfigs(Admin admin, String groupId, Map<String, String> configs) {
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        get(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, groupId), ops)).all());
    }

    /**
     * A KafkaShareConsumer of {@code groupId} with String keys and values, metadata refreshed every
     * second, client id {@code millrace-it-share-<group>}; {@code overrides} last (e.g.
     * share.acknowledgement.mode, SASL settings).
     */
    public static KafkaShareConsumer<String, String> shareConsumer(String bootstrap, String groupId,
                                                                   Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-it-share-" + groupId);
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        props.putAll(overrides);
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls a share consumer until {@code count} records came (more may come with the last poll), within 60 s. */
    public static List<ConsumerRecord<String, String>> pollShare(KafkaShareConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Await.until(count + " records", Duration.ofSeconds(60), () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }

    /**
     * Closes what a test class started, in the order given (clients before the broker), skipping
     * nulls; an admin client gets 5 s to finish. Every resource is closed even if one fails.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                if (resource instanceof Admin admin) {
                    admin.close(Duration.ofSeconds(5));
                } else {
                    resource.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Closing " + resource + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
