package io.millrace.server.share;

import io.millrace.common.config.TopicConfigs;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.partition.AppendOutcome;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.replication.BrokerConnections;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.replication.NodeConnection;
import io.millrace.wire.batch.KafkaRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's writer of share groups' dead letters (KIP-1191), as Kafka 4.4's broker writes them.
 * A group's dead-letter topic may be used when its name does not start with {@code __}, starts
 * with {@code errors.deadletterqueue.topic.name.prefix} (unless that is empty), and either exists
 * with {@code errors.deadletterqueue.group.enable=true} or, with
 * {@code errors.deadletterqueue.auto.create.topics.enable}, is created (broker default partitions
 * and replication, that key set, CreateTime timestamps). Each dead-letter offset becomes one record
 * on partition {@code source partition % partitions} with the {@code __dlq.errors.*} headers
 * (source topic, partition, offset, group, delivery count, reason) and, with
 * {@code errors.deadletterqueue.copy.record.enable}, the original key and value, read from this
 * leader's log. The records go with acks=all to the partition's leader: appended here when this
 * broker leads it, else sent as a Produce request over the inter-broker listener; a failed write is
 * tried 5 times in all, 1 s apart doubling to 30 s, as Kafka's, then given up.
 *
 * <p>Threads: one, {@code share-dead-letters}, does every write (the blocking remote sends and
 * topic creation included), so no share-partition's caller ever waits on one; {@link #write} may
 * be called from any thread. Lifecycle: {@link #close} at shutdown.
 */
public final class DeadLetterProducer implements DeadLetterWriter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProducer.class);
    private static final int TIMEOUT_MS = 30_000;
    private static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 30_000;
    /** Room left in a batch for the batch header and record framing beyond keys, values and headers. */
    private static final int BATCH_OVERHEAD = 61;
    private static final int RECORD_OVERHEAD = 64;

    private final int nodeId;
    private final Supplier<MetadataImage> metadata;
    private final PartitionAccess access;
    private final ControllerChannel controller;
    private final BrokerConnections connections;
    private final boolean autoCreate;
    private final String prefix;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "share-dead-letters");
        t.setDaemon(true);
        return t;
    });

    public DeadLetterProducer(int nodeId, Supplier<MetadataImage> metadata, PartitionAccess access,
                              ControllerChannel controller, String interBrokerListener, ClientSecurity security,
                              boolean autoCreate, String prefix) {
        this.nodeId = nodeId;
        this.metadata = metadata;
        this.access = access;
        this.controller = controller;
        this.connections = new BrokerConnections(metadata, interBrokerListener, "share-dead-letters", 5_000,
                TIMEOUT_MS, security);
        this.autoCreate = autoCreate;
        this.prefix = prefix;
    }

    @Override
    public CompletableFuture<Void> write(String groupId, TopicPartition source, DeadLetter letter, String topic,
                                         boolean copyRecord) {
        try {
            // Async on the writer's thread: a stage completed before this call would otherwise run on the caller's
            return CompletableFuture.supplyAsync(() -> refusal(groupId, topic), thread).thenComposeAsync(refused -> {
                if (refused != null) {
                    return CompletableFuture.failedFuture(new IllegalStateException(refused));
                }
                List<ByteBuffer> batches = DeadLetterRecords.batches(groupId, source, letter,
                        copyRecord ? originals(source, letter) : Map.of(), System.currentTimeMillis(),
                        maxBatchBytes(topic));
                return attempt(topic, source.partition(), batches, 1, FIRST_BACKOFF_MS);
            }, thread);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the broker is shutting down"));
        }
    }

    /**
     * Why {@code topic} may not be the group's dead-letter topic, in Kafka's words; null when it
     * may (created first when missing and auto-creation is on). Runs on the writer's thread.
     */
    private String refusal(String groupId, String topic) {
        if (topic.startsWith("__")) {
            return String.format("Configured DLQ topic name in share group: %s cannot start with __, topic: %s.",
                    groupId, topic);
        }
        Optional<TopicImage> existing = metadata.get().topic(topic);
        if (existing.isPresent() && !"true".equalsIgnoreCase(
                existing.get().configs().get(TopicConfigs.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE))) {
            return String.format("DLQ is not enabled on configured DLQ topic for share group: %s, topic: %s.",
                    groupId, topic);
        }
        if (existing.isEmpty() && !autoCreate) {
            return String.format("DLQ topic does not exist and auto create is disabled on cluster for share group: "
                    + "%s, topic: %s.", groupId, topic);
        }
        if (!prefix.isEmpty() && !topic.startsWith(prefix)) {
            return String.format("Configured DLQ topic name does not comply with the DLQ topic prefix in share "
                    + "group: %s, topic: %s, prefix: %s.", groupId, topic, prefix);
        }
        if (existing.isEmpty()) {
            return create(topic);
        }
        return null;
    }

    /** Creates {@code topic} as Kafka's broker does and waits for its leaders; null when it is there. */
    private String create(String topic) {
        try {
            List<CreateTopicResult> results = controller.createTopics(List.of(new TopicSpec(topic, -1, (short) -1,
                    Map.of(), Map.of(TopicConfigs.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE, "true",
                            TopicConfigs.MESSAGE_TIMESTAMP_TYPE, "CreateTime"))), false)
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Errors error = results.isEmpty() ? Errors.UNKNOWN_SERVER_ERROR : results.get(0).error().error();
            if (error != Errors.NONE && error != Errors.TOPIC_ALREADY_EXISTS) {
                return "Unable to create DLQ topic " + topic + ": " + error + " " + results.get(0).error().message();
            }
            LOG.info("Created the dead-letter topic {}", topic);
            return null;
        } catch (Exception e) {
            return "Unable to create DLQ topic " + topic + ": " + e;
        }
    }

    /** The original key and value of each offset of {@code letter} still in this broker's log. */
    private Map<Long, byte[][]> originals(TopicPartition source, DeadLetter letter) {
        try {
            Map<Long, byte[][]> found = new java.util.HashMap<>();
            long next = letter.firstOffset();
            while (next <= letter.lastOffset()) {
                ByteBuffer read = access.readLocal(source, next, 1 << 20, letter.lastOffset() + 1);
                long after = KafkaRecords.forEachKeyValue(read, (offset, timestamp, key, value) -> {
                    if (offset >= letter.firstOffset() && offset <= letter.lastOffset()) {
                        found.put(offset, new byte[][] {key, value});
                    }
                });
                if (after <= next) {
                    break;
                }
                next = after;
            }
            return found;
        } catch (RuntimeException e) {
            LOG.warn("Reading the records {}-{} of {} to copy them to the dead-letter topic failed (writing headers "
                    + "only): {}", letter.firstOffset(), letter.lastOffset(), source, e.toString());
            return Map.of();
        }
    }

    private int maxBatchBytes(String topic) {
        String configured = metadata.get().topic(topic).map(t -> t.configs().get(TopicConfigs.MAX_MESSAGE_BYTES))
                .orElse(null);
        int max = configured == null ? 1_048_588 : Integer.parseInt(configured);
        return Math.max(max - BATCH_OVERHEAD - RECORD_OVERHEAD, 1);
    }

    /** Writes {@code batches} from the first; on failure tries again after {@code backoffMs} until the attempts run out. */
    private CompletableFuture<Void> attempt(String topic, int sourcePartition, List<ByteBuffer> batches, int attempt,
                                            long backoffMs) {
        int written = 0;
        String failure = null;
        for (ByteBuffer batch : batches) {
            failure = send(topic, sourcePartition, batch.duplicate());
            if (failure != null) {
                break;
            }
            written++;
        }
        if (failure == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (attempt >= ATTEMPTS) {
            return CompletableFuture.failedFuture(new IllegalStateException("Exhausted " + ATTEMPTS
                    + " attempts to write to DLQ topic " + topic + ": " + failure));
        }
        List<ByteBuffer> rest = batches.subList(written, batches.size());
        LOG.debug("Writing dead letters to {} failed ({}); trying again in {} ms", topic, failure, backoffMs);
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS, thread))
                .thenComposeAsync(v -> attempt(topic, sourcePartition, rest, attempt + 1,
                        Math.min(backoffMs * 2, MAX_BACKOFF_MS)), thread);
    }

    /** Writes one batch to its partition's leader; null when written, else why not. */
    private String send(String topic, int sourcePartition, ByteBuffer batch) {
        Optional<TopicImage> image = metadata.get().topic(topic);
        if (image.isEmpty() || image.get().partitionCount() == 0) {
            return "the topic is not in the metadata yet";
        }
        int partition = sourcePartition % image.get().partitionCount();
        PartitionRecord state = image.get().partitions().get(partition);
        if (state == null || state.leader() == PartitionRecord.NO_LEADER) {
            return "partition " + partition + " has no leader";
        }
        if (state.leader() == nodeId) {
            try {
                AppendOutcome outcome = access.appendAndReplicate(new TopicPartition(topic, partition), batch,
                        (short) -1, TIMEOUT_MS).get(TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
                return outcome.error() == Errors.NONE ? null : outcome.error() + " " + outcome.message();
            } catch (Exception e) {
                return e instanceof CompletionException ? e.getCause().toString() : e.toString();
            }
        }
        return sendRemote(image.get(), partition, state.leader(), batch);
    }

    private String sendRemote(TopicImage topic, int partition, int leader, ByteBuffer batch) {
        try {
            NodeConnection connection = connections.get(leader);
            if (connection == null) {
                return "broker " + leader + " has no inter-broker endpoint";
            }
            ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
            topics.add(new ProduceRequestData.TopicProduceData().setName(topic.name()).setTopicId(topic.topicId())
                    .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                            .setRecords(KafkaRecords.wrap(batch)))));
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(TIMEOUT_MS)
                    .setTopicData(topics);
            ProduceResponseData response = connection.send(ApiKeys.PRODUCE,
                    connection.versionFor(ApiKeys.PRODUCE, (short) 3), request, TIMEOUT_MS + 5_000);
            Errors error = Errors.forCode(response.responses().iterator().next().partitionResponses().get(0)
                    .errorCode());
            return error == Errors.NONE ? null : error.toString();
        } catch (IOException | RuntimeException e) {
            connections.drop(leader, e instanceof IOException io ? io : new IOException(e));
            return e.toString();
        }
    }

    @Override
    public void close() {
        thread.submit(connections::close);
        thread.shutdown();
    }
}
