package io.millrace.bench.jmh;

import io.millrace.storage.PartitionLog;
import io.millrace.storage.ReadResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
 * {@link PartitionLog#read}: find the batch holding an offset (offset index, then a scan of
 * batch headers) and read up to 1 MiB of whole batches, as a fetch does, from a 256 MiB log of
 * 16-record batches of 1 KiB values held in the page cache. {@code sequential} reads where the
 * previous read ended (a consumer keeping up); {@code random} starts anywhere (lookups dominate).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class PartitionLogReadBench {
    private static final int LOG_BYTES = 256 * 1024 * 1024;
    private static final int READ_BYTES = 1024 * 1024;
    private static final int RECORDS_PER_BATCH = 16;

    @Param({"sequential", "random"})
    public String pattern;

    private Path root;
    private PartitionLog log;
    private int batchBytes;
    private long endOffset;
    private long nextOffset;
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void fillLog() throws IOException {
        root = Files.createTempDirectory("millrace-jmh-read-");
        log = TempLogs.open(root);
        ByteBuffer batch = TempLogs.batch(RECORDS_PER_BATCH);
        batchBytes = batch.remaining();
        for (long written = 0; written < LOG_BYTES; written += batch.remaining()) {
            log.appendAsLeader(batch, 0);
        }
        endOffset = log.logEndOffset();
        random = new SplittableRandom(42);
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        TempLogs.delete(log, root);
    }

    /** Reads of up to 1 MiB per second. */
    @Benchmark
    public ReadResult read1MiB() {
        long offset = pattern.equals("random") ? random.nextLong(endOffset) : nextOffset;
        ReadResult result = log.read(offset, READ_BYTES, endOffset, true);
        // Sequential reads start on batch boundaries, and every batch has the same size.
        nextOffset = offset + (long) result.records().remaining() / batchBytes * RECORDS_PER_BATCH;
        if (nextOffset >= endOffset || result.records().remaining() == 0) {
            nextOffset = 0;
        }
        return result;
    }
}
