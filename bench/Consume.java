/*
 * A warm consumer against two or more brokers in turn, in one JVM: each round assigns every
 * partition of TOPIC, seeks to the beginning and reads to the end offsets, printing records/s, the
 * number of fetches and the client's fetch-latency-avg; the brokers' order is reversed every other
 * round, so the client's JIT warm-up touches all alike (drop the first rounds). Run from the
 * repository root, after `./millrace bench` fetched Kafka's jars:
 *
 *   java -cp 'millrace-bench/target/kafka-lib/*' bench/Consume.java TOPIC PARTITIONS ROUNDS HOST:PORT...
 */
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.*;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class Consume {
    public static void main(String[] a) throws Exception {
        if (a.length < 4) {
            System.err.println("usage: Consume TOPIC PARTITIONS ROUNDS HOST:PORT...");
            System.exit(2);
        }
        String topic = a[0]; int parts = Integer.parseInt(a[1]); int rounds = Integer.parseInt(a[2]);
        List<String> brokers = Arrays.asList(a).subList(3, a.length);
        for (int r = 0; r < rounds; r++) {
            for (String b : (r % 2 == 0 ? brokers : reversed(brokers))) {
                Properties p = new Properties();
                p.put("bootstrap.servers", b);
                p.put("key.deserializer", ByteArrayDeserializer.class.getName());
                p.put("value.deserializer", ByteArrayDeserializer.class.getName());
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                    List<TopicPartition> tps = new ArrayList<>();
                    for (int i = 0; i < parts; i++) tps.add(new TopicPartition(topic, i));
                    c.assign(tps); c.seekToBeginning(tps);
                    Map<TopicPartition, Long> end = c.endOffsets(tps);
                    long total = end.values().stream().mapToLong(Long::longValue).sum();
                    long n = 0, t0 = 0;
                    while (n < total) {
                        ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofSeconds(5));
                        if (t0 == 0 && !rs.isEmpty()) t0 = System.nanoTime();
                        n += rs.count();
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    double lat = 0, cnt = 0;
                    for (Map.Entry<MetricName, ? extends Metric> m : c.metrics().entrySet()) {
                        if (m.getKey().name().equals("fetch-latency-avg") && !m.getKey().tags().containsKey("topic")) lat = ((Number) m.getValue().metricValue()).doubleValue();
                        if (m.getKey().name().equals("fetch-total") && !m.getKey().tags().containsKey("topic")) cnt = ((Number) m.getValue().metricValue()).doubleValue();
                    }
                    System.out.printf("%s round %d: %,.0f records/s, fetches %.0f, fetch-latency-avg %.2f ms%n", b, r, n / s, cnt, lat);
                }
            }
        }
    }
    static List<String> reversed(List<String> l) { List<String> r = new ArrayList<>(l); Collections.reverse(r); return r; }
}
