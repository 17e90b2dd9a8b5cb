package io.millrace.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The check of {@link StreamsClusterBrokerKillIT} against a cluster started by hand with
 * {@code ./millrace cluster --nodes 3}: {@code StreamsClusterDriver BOOTSTRAP KILL RESTART}
 * creates the topics (3 replicas), runs two instances (streams protocol, exactly_once_v2), writes a
 * batch, runs {@code KILL <node id>} (a shell command that kill -9's that node) for the node
 * coordinating the streams group, writes a batch, runs {@code RESTART <node id>}, writes a batch,
 * and exits 0 once every count is exact (1 otherwise). Prints the time line.
 */
public final class StreamsClusterDriver {
    private StreamsClusterDriver() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        long start = System.nanoTime();
        Path state = Files.createTempDirectory("streams-cluster-driver");
        List<KafkaStreams> instances = new ArrayList<>();
        int code = 1;
        try (Admin admin = Clients.admin(bootstrap)) {
            Clients.get(admin.createTopics(List.of(
                    new NewTopic(ColourCountApp.INPUT, 6, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                    new NewTopic(ColourCountApp.OUTPUT, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all());
            Map<String, Object> overrides = Map.of(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams",
                    StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
            for (String instance : List.of("a", "b")) {
                KafkaStreams streams = ColourCountApp.create(bootstrap, StreamsClusterBrokerKillIT.APPLICATION,
                        state.resolve(instance), overrides);
                instances.add(streams);
                streams.start();
            }
            Duration timeout = Duration.ofSeconds(120);
            Await.until("both instances RUNNING", timeout,
                    () -> instances.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING));
            log(start, "both instances RUNNING");
            int batch = StreamsClusterBrokerKillIT.BATCH;
            StreamsClusterBrokerKillIT.produce(bootstrap, 0, batch);
            Await.until("the first batch counted", timeout,
                    () -> StreamsClusterBrokerKillIT.sum(StreamsClusterBrokerKillIT.lastCounts(bootstrap)) == batch);
            log(start, "first batch counted");
            int victim = StreamsClusterBrokerKillIT.coordinatorOf(admin);
            run(args[1], victim);
            log(start, "ran '" + args[1] + " " + victim + "' on node " + victim + ", the streams group's coordinator");
            StreamsClusterBrokerKillIT.produce(bootstrap, batch, 2 * batch);
            Await.until("the second batch counted", timeout,
                    () -> StreamsClusterBrokerKillIT.sum(StreamsClusterBrokerKillIT.lastCounts(bootstrap)) == 2 * batch);
            log(start, "second batch counted; coordinator now node " + StreamsClusterBrokerKillIT.coordinatorOf(admin));
            run(args[2], victim);
            log(start, "ran '" + args[2] + " " + victim + "'");
            StreamsClusterBrokerKillIT.produce(bootstrap, 2 * batch, 3 * batch);
            StreamsClusterBrokerKillIT.awaitExactCounts(bootstrap, 3 * batch);
            log(start, "all " + 3 * batch + " records counted exactly; instances " + instances.stream()
                    .map(KafkaStreams::state).toList());
            code = 0;
        } finally {
            instances.forEach(streams -> streams.close(Duration.ofSeconds(10)));
        }
        System.exit(code);
    }

    private static void run(String command, int node) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", command + " " + node).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " " + node + " exited with " + process.exitValue());
        }
    }

    private static void log(long start, String what) {
        System.out.printf("StreamsClusterDriver [%5.1f s] %s%n", (System.nanoTime() - start) / 1e9, what);
    }
}
