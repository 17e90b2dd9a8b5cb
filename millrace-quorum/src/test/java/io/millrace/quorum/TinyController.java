package io.millrace.quorum;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.controller.command.AllocateProducerIds;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.controller.command.CreateTopics;
import io.millrace.metadata.log.CommandOutcome;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.ProducerIdsRecord;
import io.millrace.metadata.records.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.Errors;

/** A minimal controller for tests: creates topics and allocates producer ids, one command at a time. */
final class TinyController implements ControllerChannel, AutoCloseable {
    final int nodeId;
    final AtomicInteger executed = new AtomicInteger();
    private final MetadataLog log;
    private final MetadataView view;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    TinyController(int nodeId, MetadataLog log, MetadataView view) {
        this.nodeId = nodeId;
        this.log = log;
        this.view = view;
    }

    @Override
    public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command) {
        return submit(command, null);
    }

    /** As MetadataController: a forwarded command's records carry its request id and reply. */
    @Override
    @SuppressWarnings("unchecked")
    public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command, String requestId) {
        return CompletableFuture.supplyAsync(() -> (R) run(command, requestId), thread);
    }

    private void append(List<MetadataRecord> records, String requestId, Record reply) {
        (requestId == null ? log.append(records) : log.append(records, new CommandOutcome(requestId, reply))).join();
    }

    private Record run(ControllerCommand<?> command, String requestId) {
        if (!log.isActive()) {
            throw new NotControllerException("node " + nodeId + " is not active");
        }
        executed.incrementAndGet();
        return switch (command) {
            case CreateTopics c -> {
                List<MetadataRecord> records = new ArrayList<>();
                List<CreateTopicResult> results = new ArrayList<>();
                for (TopicSpec spec : c.topics()) {
                    if (view.image().topic(spec.name()).isPresent()) {
                        results.add(CreateTopicResult.failed(spec.name(),
                                ApiError.of(Errors.TOPIC_ALREADY_EXISTS, "exists")));
                        continue;
                    }
                    Uuid id = Uuid.randomUuid();
                    records.add(new TopicRecord(spec.name(), id));
                    for (int p = 0; p < spec.numPartitions(); p++) {
                        records.add(new PartitionRecord(id, p, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0));
                    }
                    results.add(new CreateTopicResult(spec.name(), ApiError.NONE, id, spec.numPartitions(), (short) 3));
                }
                CreateTopics.Reply reply = new CreateTopics.Reply(results);
                append(records, requestId, reply);
                yield reply;
            }
            case AllocateProducerIds a -> {
                long first = view.image().nextProducerId();
                AllocateProducerIds.Reply reply = new AllocateProducerIds.Reply(first, a.size());
                append(List.of(new ProducerIdsRecord(a.brokerId(), first + a.size())), requestId, reply);
                yield reply;
            }
            default -> throw new UnsupportedVersionException("not in the tiny controller: " + command);
        };
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
