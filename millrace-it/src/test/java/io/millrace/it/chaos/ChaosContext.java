package io.millrace.it.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * What a {@link Fault} works with: the target, its admin client, the topic and the seeded
 * random that picks nodes and durations (so a seed replays the same choices). Test thread only.
 */
final class ChaosContext {
    private final Target target;
    private final Admin admin;
    private final String topic;
    private final Random random;

    ChaosContext(Target target, Admin admin, String topic, Random random) {
        this.target = target;
        this.admin = admin;
        this.topic = topic;
        this.random = random;
    }

    Target target() {
        return target;
    }

    Random random() {
        return random;
    }

    /** A node picked at random among all nodes. */
    int randomNode() {
        List<Integer> ids = target.nodeIds();
        return ids.get(random.nextInt(ids.size()));
    }

    /** {@code count} distinct nodes picked at random. */
    List<Integer> randomNodes(int count) {
        List<Integer> ids = new ArrayList<>(target.nodeIds());
        java.util.Collections.shuffle(ids, random);
        return List.copyOf(ids.subList(0, count));
    }

    /** A random duration in [min, max] ms. */
    long millisBetween(long min, long max) {
        return min + (long) (random.nextDouble() * (max - min));
    }

    /** The topic's partitions as the cluster describes them now. */
    List<TopicPartitionInfo> partitions() throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(15, TimeUnit.SECONDS).get(topic);
        return description.partitions();
    }

    /** The leader of a random partition, or a random node when none could be read. */
    int leaderOfRandomPartition() {
        int partition = random.nextInt(3);
        try {
            TopicPartitionInfo info = partitions().get(partition);
            if (info.leader() != null && !info.leader().isEmpty()) {
                return info.leader().id();
            }
        } catch (Exception e) {
            // fall back below
        }
        return randomNode();
    }

    /** A fault's duration: sleeping is the fault here, not waiting for a condition. */
    static void hold(long millis) throws InterruptedException {
        Thread.sleep(Duration.ofMillis(millis));
    }

    /** Sends a signal by name (STOP, CONT) to a process. */
    static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }
}
