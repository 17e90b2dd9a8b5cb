package io.millrace.it;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A transactional producer meant to be killed: run as its own JVM by {@link KilledProducerIT},
 * it begins a transaction, sends {@code count} records ({@code open-0}, {@code open-1}, ...) and
 * waits for their acknowledgements, adds offset {@code count} of partition 0 for the group (as a
 * consume-transform-produce loop would), prints {@value #SENT} and then sleeps until it is killed,
 * leaving the transaction open.
 *
 * <p>Arguments: bootstrap servers, transactional id, topic, record count, transaction timeout (ms),
 * group id.
 */
public final class OpenTransactionProducer {
    static final String SENT = "SENT";

    private OpenTransactionProducer() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[2];
        int count = Integer.parseInt(args[3]);
        KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, args[1],
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.parseInt(args[4])));
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "open-" + i)).get(30, TimeUnit.SECONDS);
        }
        producer.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(count)),
                new ConsumerGroupMetadata(args[5]));
        System.out.println(SENT);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
