package io.millrace.server.handlers;

import io.millrace.metadata.controller.TopicNames;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.AppendOutcome;
import io.millrace.server.partition.CurrentLeaders;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.txn.TransactionVerifier;
import io.millrace.server.txn.VerificationErrors;
import io.millrace.server.txn.VerificationMode;
import io.millrace.storage.RecordError;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Produce: appends each partition's batches through {@link PartitionAccess}. acks=0/1 answer after
 * the local append; acks=all answers once every partition's high watermark passes its append (or
 * the request's timeout, or a lost leadership), without holding a thread. From v8, a batch
 * rejected because of particular records (a keyless record on a compacted topic, a timestamp out
 * of range) names each in {@code record_errors}, with the partition's {@code error_message}, as
 * Kafka does (KIP-467). From v10, NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH carry the current
 * leader and its endpoint (KIP-951).
 *
 * <p>A transactional batch that would begin its producer's transaction on a partition is first
 * checked with the transaction coordinator (KIP-890 part 1; from v12, transaction version 2, the
 * coordinator adds the partition to the transaction: part 2) through {@link TransactionVerifier};
 * that partition's append waits for the answer, and a failed check is answered as Kafka does
 * ({@link VerificationErrors#forProduce}). Needs WRITE on each topic (TOPIC_AUTHORIZATION_FAILED, also
 * for a missing topic) and, for a transactional producer, on its transactional id
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED). Thread-safe; holds no state.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData> {
    private static final short FIRST_VERSION_WITH_RECORD_ERRORS = 8;
    private static final short FIRST_VERSION_WITH_CURRENT_LEADER = 10;

    private final TopicNameResolver topics;
    private final PartitionAccess access;
    private final TransactionVerifier verifier;

    public ProduceHandler(TopicNameResolver topics, PartitionAccess access) {
        this(topics, access, null);
    }

    /** @param verifier KIP-890 checks of transactional batches; null when transactions are not served */
    public ProduceHandler(TopicNameResolver topics, PartitionAccess access, TransactionVerifier verifier) {
        this.topics = topics;
        this.access = access;
        this.verifier = verifier;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<ProduceResponseData> handle(RequestContext context, ProduceRequestData request) {
        if (request.transactionalId() != null
                && !context.authorization().allowsTransactionalId(AclOperation.WRITE, request.transactionalId())) {
            return CompletableFuture.failedFuture(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.exception());
        }
        short acks = request.acks();
        boolean validAcks = acks == -1 || acks == 0 || acks == 1;
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        TransactionalAppends transactions = new TransactionalAppends();
        VerificationMode mode = VerificationMode.forProduce(context.apiVersion());
        boolean verifying = verifier != null && verifier.checks(mode);
        for (ProduceRequestData.TopicProduceData topic : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse()
                    .setName(topic.name()).setTopicId(topic.topicId());
            response.responses().add(topicResponse);
            Optional<TopicImage> image = topics.find(topic.name(), topic.topicId());
            boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
            // an unknown id names nothing to authorize; a name is checked whether the topic exists or not
            boolean writable = byId && image.isEmpty()
                    || context.authorization().allowsTopic(AclOperation.WRITE, image.map(TopicImage::name).orElse(topic.name()));
            for (ProduceRequestData.PartitionProduceData data : topic.partitionData()) {
                PartitionProduceResponse partition = new PartitionProduceResponse().setIndex(data.index());
                topicResponse.partitionResponses().add(partition);
                if (!validAcks) {
                    fail(partition, Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, was " + acks);
                } else if (!writable) {
                    fail(partition, Errors.TOPIC_AUTHORIZATION_FAILED, null);
                } else if (byId && image.isEmpty()) {
                    fail(partition, Errors.UNKNOWN_TOPIC_ID, null);
                } else if (image.isEmpty()) {
                    fail(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                } else if (TopicNames.isInternal(image.get().name())) {
                    fail(partition, Errors.INVALID_TOPIC_EXCEPTION,
                            "Cannot append to internal topic " + image.get().name());
                } else if (data.records() == null) {
                    fail(partition, Errors.INVALID_RECORD, "No records in the request");
                } else {
                    ByteBuffer records = KafkaRecords.bufferOf(data.records());
                    TopicPartition tp = new TopicPartition(image.get().name(), data.index());
                    PartitionAppend append = new PartitionAppend(tp, partition, records);
                    PartitionAppend now = verifying ? transactions.add(append, access, mode) : append;
                    if (now != null) {
                        append(context, request, response, now, pending);
                    }
                }
            }
        }
        if (!transactions.isEmpty()) {
            pending.add(transactions.verify(verifier, request.transactionalId(), mode).thenCompose(failures -> {
                        List<CompletableFuture<Void>> appends = new ArrayList<>();
                        for (PartitionAppend append : transactions.appends()) {
                            VerificationErrors.Failure failure = failures.get(append.tp());
                            if (failure == null) {
                                append(context, request, response, append, appends);
                            } else {
                                synchronized (response) {
                                    fail(append.partition(), failure.error(), failure.message());
                                }
                            }
                        }
                        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
                    }));
        }
        if (acks == 0) {
            if (!pending.isEmpty()) {
                return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .thenCompose(ignored -> noResponse(response));
            }
            return noResponse(response);
        }
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        // The partitions' futures fill in their own answers; the response is read only once all completed.
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(ignored -> response);
    }

    /** Appends one partition's records, answering at once or adding the wait for replication to {@code pending}. */
    private void append(RequestContext context, ProduceRequestData request, ProduceResponseData response,
                        PartitionAppend append, List<CompletableFuture<Void>> pending) {
        CompletableFuture<AppendOutcome> outcome = access.appendAndReplicate(append.tp(), append.records(),
                request.acks(), request.timeoutMs(), append.guard());
        if (outcome.isDone()) {
            answer(context, response, append.partition(), append.tp(), outcome.join());
        } else {
            pending.add(outcome.thenAccept(o -> answer(context, response, append.partition(), append.tp(), o)));
        }
    }

    /**
     * acks=0: no response will be read, so a failed partition must close the connection instead,
     * so the producer notices and refreshes its metadata (as Kafka does).
     */
    private static CompletableFuture<ProduceResponseData> noResponse(ProduceResponseData response) {
        synchronized (response) {
            for (TopicProduceResponse topic : response.responses()) {
                for (PartitionProduceResponse partition : topic.partitionResponses()) {
                    if (partition.errorCode() != Errors.NONE.code()) {
                        Errors error = Errors.forCode(partition.errorCode());
                        return CompletableFuture.failedFuture(error.exception(partition.errorMessage()));
                    }
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Fills in one partition's answer; response-level fields are touched under the response's lock. */
    private void answer(RequestContext context, ProduceResponseData response, PartitionProduceResponse partition,
                        TopicPartition tp, AppendOutcome outcome) {
        synchronized (response) {
            if (outcome.error() == Errors.NONE) {
                partition.setBaseOffset(outcome.result().firstOffset())
                        .setLogAppendTimeMs(outcome.result().logAppendTime())
                        .setLogStartOffset(outcome.result().logStartOffset());
                return;
            }
            fail(partition, outcome.error(), outcome.message());
            if (context.apiVersion() >= FIRST_VERSION_WITH_RECORD_ERRORS) {
                for (RecordError error : outcome.recordErrors()) {
                    partition.recordErrors().add(new BatchIndexAndErrorMessage()
                            .setBatchIndex(error.batchIndex()).setBatchIndexErrorMessage(error.message()));
                }
            }
            if (context.apiVersion() >= FIRST_VERSION_WITH_CURRENT_LEADER
                    && (outcome.error() == Errors.NOT_LEADER_OR_FOLLOWER
                    || outcome.error() == Errors.FENCED_LEADER_EPOCH)) {
                addCurrentLeader(context, response, partition, tp);
            }
        }
    }

    private void addCurrentLeader(RequestContext context, ProduceResponseData response,
                                  PartitionProduceResponse partition, TopicPartition tp) {
        MetadataImage image = topics.image();
        CurrentLeaders.of(image, tp).ifPresent(leader -> {
            partition.currentLeader().setLeaderId(leader.leaderId()).setLeaderEpoch(leader.leaderEpoch());
            if (response.nodeEndpoints().find(leader.leaderId()) == null) {
                CurrentLeaders.endpoint(image, leader.leaderId(), context.listenerName()).ifPresent(e ->
                        response.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint().setNodeId(e.nodeId())
                                .setHost(e.host()).setPort(e.port()).setRack(e.rack())));
            }
        });
    }

    private static void fail(PartitionProduceResponse partition, Errors error, String message) {
        partition.setErrorCode(error.code()).setErrorMessage(message)
                .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
    }
}
