package io.millrace.bench.workload;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The clients every workload uses, identical for both brokers: kafka-clients' defaults except
 * the bootstrap address, the producer's acks, and byte-array (de)serializers. Consumers have no
 * group.id (Millrace has no consumer groups yet): workloads {@code assign()} and seek.
 */
public final class Clients {
    private Clients() {
    }

    /** A producer with default settings but {@code acks} ("1" or "all"). */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, String acks) {
        return producer(bootstrap, acks, Map.of());
    }

    /** As {@link #producer(String, String)} with {@code security} added (TLS settings, for one). */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, String acks, Map<String, Object> security) {
        Properties props = new Properties();
        props.putAll(security);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** A consumer with default settings and no group. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return consumer(bootstrap, Map.of());
    }

    /** As {@link #consumer(String)} with {@code security} added. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Map<String, Object> security) {
        Properties props = new Properties();
        props.putAll(security);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    public static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }
}
