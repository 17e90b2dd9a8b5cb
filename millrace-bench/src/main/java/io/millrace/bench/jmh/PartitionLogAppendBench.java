package io.millrace.bench.jmh;

import io.millrace.storage.AppendResult;
import io.millrace.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link PartitionLog#appendAsLeader}: validate, assign offsets, stamp and write one producer
 * batch of 16 or 64 1 KiB records, into the page cache (no fsync, Kafka's default). Each
 * iteration starts a fresh log so the files stay a few GB at most; segments roll at Kafka's
 * default 1 GiB. The same batch is appended again and again: the append rewrites only its base
 * offset and leader epoch, which the CRC does not cover.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class PartitionLogAppendBench {

    @Param({"16", "64"})
    public int recordsPerBatch;

    private Path root;
    private PartitionLog log;
    private ByteBuffer batch;

    @Setup(Level.Trial)
    public void createBatch() {
        batch = TempLogs.batch(recordsPerBatch);
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        root = Files.createTempDirectory("millrace-jmh-append-");
        log = TempLogs.open(root);
    }

    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException {
        TempLogs.delete(log, root);
    }

    /** Batches appended per second; multiply by recordsPerBatch KiB for bytes. */
    @Benchmark
    public AppendResult append() {
        return log.appendAsLeader(batch, 0);
    }
}
