package io.millrace.bench.jmh;

import io.millrace.metrics.MillraceMetrics;
import io.millrace.metrics.RequestMeters;
import io.millrace.metrics.TopicMeters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What a request pays for metrics on the broker's hot path, as the server records them: a
 * partition's append added to its topic's bytes and messages in ({@code TopicMeters.in}, once
 * per partition per Produce), and a request's count, queue time and total time
 * ({@code RequestMeters.served}, once per request). Run with {@code -prof gc}: both should
 * allocate nothing. Four threads, as connections record concurrently.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(4)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class MetricsRecordingBench {
    private static final String[] TOPICS = {"orders", "payments", "audit", "clicks", "views", "carts"};
    private static final int PRODUCE = 0;

    private TopicMeters topics;
    private RequestMeters requests;

    /** Each thread's own walk over the topics. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup
    public void build() {
        MillraceMetrics metrics = new MillraceMetrics();
        topics = metrics.topics();
        requests = metrics.requests(100, id -> "Api" + id, code -> "E" + code);
        for (String topic : TOPICS) {
            topics.in(topic, 0, 0);
        }
    }

    @Benchmark
    public void topicIn(Cursor cursor) {
        topics.in(TOPICS[(cursor.next++ & Integer.MAX_VALUE) % TOPICS.length], 16_384, 16);
    }

    @Benchmark
    public void requestServed() {
        requests.served(PRODUCE, 20_000, 1_500_000);
    }
}
