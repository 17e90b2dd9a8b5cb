package io.millrace.bench.jmh;

import io.millrace.common.Time;
import io.millrace.storage.LogConfig;
import io.millrace.storage.PartitionLog;
import io.millrace.wire.batch.KafkaRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/** Partition logs in temporary directories and 1 KiB-record batches, for the storage benchmarks. */
final class TempLogs {
    static final int RECORD_BYTES = 1024;
    static final TopicPartition PARTITION = new TopicPartition("bench", 0);

    private TempLogs() {
    }

    /** A new empty log with Kafka's default settings in a new temporary directory. */
    static PartitionLog open(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "log-").resolve(PARTITION.topic() + "-" + PARTITION.partition());
        return PartitionLog.open(dir, PARTITION, Uuid.randomUuid(), LogConfig.defaults(), Time.SYSTEM, true);
    }

    /** One v2 batch of {@code records} uncompressed 1 KiB values, as a producer sends it. */
    static ByteBuffer batch(int records) {
        byte[] value = new byte[RECORD_BYTES];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder();
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            builder.add(now, null, value);
        }
        return builder.build();
    }

    /** Closes the log and deletes its directory and everything under {@code root}. */
    static void delete(PartitionLog log, Path root) throws IOException {
        if (log != null) {
            log.close();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
