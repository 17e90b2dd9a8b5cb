package io.millrace.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends records to partition 0 of a topic so that they share one batch (a long linger, a large
 * batch, then a flush) with a default kafka-clients producer, and describes what each send's
 * future said, one line a record: {@code "2 delivered at 0"} or {@code "1 InvalidRecordException:
 * <message>"}. The same lines from two brokers show whether a client sees them alike.
 */
final class BatchOutcomes {

    /** One record to send: a null key for a keyless record, a timestamp, a value. */
    record Send(String key, String value, long timestamp) {
    }

    private BatchOutcomes() {
    }

    static List<String> send(String bootstrap, String topic, List<Send> sends) {
        Map<String, Object> batched = Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000,
                ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, batched)) {
            for (Send send : sends) {
                futures.add(producer.send(new ProducerRecord<>(topic, 0, send.timestamp(), send.key(), send.value())));
            }
            producer.flush();
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                outcomes.add(i + " " + outcome(futures.get(i)));
            }
            return outcomes;
        }
    }

    private static String outcome(Future<RecordMetadata> future) {
        try {
            return "delivered at " + future.get(30, TimeUnit.SECONDS).offset();
        } catch (ExecutionException e) {
            return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("No answer for a send", e);
        }
    }
}
