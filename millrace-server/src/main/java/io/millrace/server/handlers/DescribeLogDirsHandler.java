package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.LocalPartitions;
import io.millrace.server.partition.Partition;
import io.millrace.storage.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs (KIP-113; {@code kafka-log-dirs.sh}, {@code Admin.describeLogDirs}, the web
 * console's sizes): every {@code log.dirs} entry of this broker with the replicas it holds (all,
 * or the topics and partitions asked for), each with its size (the bytes of its segment files)
 * and offset lag (high watermark minus log-end offset, 0 on a leader), and the volume's total and
 * usable bytes. A dir that cannot be read answers KAFKA_STORAGE_ERROR. There are no future
 * replicas (AlterReplicaLogDirs is not served). Needs DESCRIBE on the cluster, as in Kafka.
 * Stateless; reads sizes from the file system on each request.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequestData> {

    private final List<Path> logDirs;
    private final LocalPartitions partitions;

    public DescribeLogDirsHandler(List<Path> logDirs, LocalPartitions partitions) {
        this.logDirs = logDirs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<DescribeLogDirsResponseData> handle(RequestContext context,
                                                                 DescribeLogDirsRequestData request) {
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        if (!context.authorization().allowsCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        Map<String, Set<Integer>> wanted = request.topics() == null ? null : request.topics().stream()
                .collect(Collectors.toMap(t -> t.topic(), t -> Set.copyOf(t.partitions()), (a, b) -> a));
        Map<Path, Map<String, List<DescribeLogDirsPartition>>> byDir = new LinkedHashMap<>();
        logDirs.forEach(d -> byDir.put(d, new TreeMap<>()));
        for (Partition partition : partitions.all()) {
            TopicPartition tp = partition.topicPartition();
            if (wanted != null && !wanted.getOrDefault(tp.topic(), Set.of()).contains(tp.partition())) {
                continue;
            }
            PartitionLog log = partition.log();
            Map<String, List<DescribeLogDirsPartition>> topics = byDir.get(log.dir().toAbsolutePath().normalize().getParent());
            if (topics == null) {
                continue;
            }
            long size;
            try {
                size = segmentBytes(log.dir());
            } catch (UncheckedIOException e) {
                continue; // deleted while we looked
            }
            topics.computeIfAbsent(tp.topic(), t -> new java.util.ArrayList<>()).add(new DescribeLogDirsPartition()
                    .setPartitionIndex(tp.partition()).setPartitionSize(size)
                    .setOffsetLag(Math.max(0, log.highWatermark() - log.logEndOffset())).setIsFutureKey(false));
        }
        byDir.forEach((dir, topics) -> response.results().add(result(dir, topics)));
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeLogDirsResult result(Path dir, Map<String, List<DescribeLogDirsPartition>> topics) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString());
        try {
            FileStore store = Files.getFileStore(dir);
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        topics.forEach((name, list) -> result.topics().add(new DescribeLogDirsTopic().setName(name).setPartitions(list)));
        return result.setErrorCode(Errors.NONE.code());
    }

    /** The bytes of a partition's segment files (*.log), as Kafka counts a log's size. */
    static long segmentBytes(Path partitionDir) {
        Map<Path, Long> sizes = new HashMap<>();
        try (Stream<Path> files = Files.list(partitionDir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".log")).forEach(f -> {
                try {
                    sizes.put(f, Files.size(f));
                } catch (NoSuchFileException gone) {
                    // a segment deleted by retention meanwhile
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
