package io.millrace.it;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A share consumer for a child JVM ({@link ChildJvm}) that a test kills with SIGKILL while it holds
 * records: it polls (explicit acknowledgement) until it has acquired at least one record, prints
 * {@code HOLDING n} and then never acknowledges, polls or closes again; it only waits to be killed.
 * Arguments: bootstrap servers, group id, topic.
 */
public final class HoldingShareConsumer {
    private HoldingShareConsumer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, args[1]);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-it-holder");
        props.put("share.acknowledgement.mode", "explicit");
        KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(args[2]));
        int held = 0;
        while (held == 0) {
            held = consumer.poll(Duration.ofMillis(200)).count();
        }
        System.out.println("HOLDING " + held);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // killed here; deliberately never closes the consumer
    }
}
