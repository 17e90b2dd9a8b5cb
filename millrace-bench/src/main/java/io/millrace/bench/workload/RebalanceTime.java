package io.millrace.bench.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How long a group of 3 consumers takes to settle: 3 kafka-clients consumers subscribe at once
 * to a 6-partition topic; the time from their start until every partition is owned, by exactly
 * one member each, with all 3 members holding some. Works against any broker.
 *
 * <p>Usage: {@code java -cp "millrace-bench/target/classes:millrace-cli/target/lib/*"
 * io.millrace.bench.workload.RebalanceTime BOOTSTRAP classic|consumer [ROUNDS]}
 */
public final class RebalanceTime {
    private static final int MEMBERS = 3;
    private static final int PARTITIONS = 6;

    private RebalanceTime() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RebalanceTime BOOTSTRAP classic|consumer [ROUNDS]");
            System.exit(2);
        }
        String bootstrap = args[0];
        String protocol = args[1];
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String topic = "rebalance-" + protocol;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        for (int round = 0; round < rounds; round++) {
            long ms = settle(bootstrap, protocol, topic, "rebalance-" + protocol + "-" + System.nanoTime());
            System.out.printf("%s protocol, round %d: %d members own all %d partitions after %s%n", protocol, round,
                    MEMBERS, PARTITIONS, ms < 0 ? "no result within 60 s" : ms + " ms");
        }
    }

    private static long settle(String bootstrap, String protocol, String topic, String group) throws Exception {
        Map<Integer, Set<TopicPartition>> owned = new ConcurrentHashMap<>();
        CountDownLatch settled = new CountDownLatch(1);
        ExecutorService members = Executors.newFixedThreadPool(MEMBERS);
        long start = System.nanoTime();
        for (int i = 0; i < MEMBERS; i++) {
            int id = i;
            Map<String, Object> props = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "group.id", group,
                    "group.protocol", protocol, "key.deserializer", StringDeserializer.class.getName(),
                    "value.deserializer", StringDeserializer.class.getName()));
            if (protocol.equals("classic")) {
                props.put("heartbeat.interval.ms", "300");
            }
            members.submit(() -> {
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                    consumer.subscribe(List.of(topic));
                    while (settled.getCount() > 0) {
                        consumer.poll(Duration.ofMillis(50));
                        owned.put(id, consumer.assignment());
                        if (isSettled(owned)) {
                            settled.countDown();
                        }
                    }
                }
                return null;
            });
        }
        boolean ok = settled.await(60, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        settled.countDown();
        members.shutdown();
        members.awaitTermination(30, TimeUnit.SECONDS);
        return ok ? ms : -1;
    }

    private static boolean isSettled(Map<Integer, Set<TopicPartition>> owned) {
        Set<TopicPartition> all = new HashSet<>();
        int total = 0;
        int holding = 0;
        for (Set<TopicPartition> partitions : new ArrayList<>(owned.values())) {
            all.addAll(partitions);
            total += partitions.size();
            holding += partitions.isEmpty() ? 0 : 1;
        }
        return holding == MEMBERS && all.size() == PARTITIONS && total == PARTITIONS;
    }
}
