package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.txn.TransactionVerifier;
import io.millrace.server.txn.VerificationMode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit (KIP-98; group metadata of KIP-447 from v3), sent by a transactional producer to
 * the group's coordinator: the offsets are written to {@code __consumer_offsets} as a transactional
 * batch of the producer and become the group's at its COMMIT marker, vanish at ABORT
 * ({@link GroupCoordinatorService#commitTransactionalOffsets}). Versions 0 to 5 (v6 names topics by
 * id and is not served).
 *
 * <p>Before writing, the group's {@code __consumer_offsets} partition is checked with the
 * transaction coordinator as Kafka does (KIP-890): up to v4 (transaction version 1) it must have
 * been added by AddOffsetsToTxn (verify only); from v5 (version 2) the coordinator adds it. A
 * failed check answers its error for every partition. Needs WRITE on the transactional id, READ on
 * the group and READ on each topic (else TOPIC_AUTHORIZATION_FAILED for its partitions). Stateless.
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData> {
    private static final short MAX_VERSION = 5;

    private final GroupCoordinatorService coordinator;
    private final String offsetsTopic;
    private final TransactionVerifier verifier;

    public TxnOffsetCommitHandler(GroupCoordinatorService coordinator) {
        this(coordinator, null, null);
    }

    /** @param verifier KIP-890 checks; null when transactions are not served */
    public TxnOffsetCommitHandler(GroupCoordinatorService coordinator, String offsetsTopic,
                                  TransactionVerifier verifier) {
        this.coordinator = coordinator;
        this.offsetsTopic = offsetsTopic;
        this.verifier = verifier;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public short maxVersion() {
        return MAX_VERSION;
    }

    @Override
    public CompletableFuture<TxnOffsetCommitResponseData> handle(RequestContext context,
                                                                TxnOffsetCommitRequestData request) {
        Authorization authorization = context.authorization();
        if (!authorization.allowsTransactionalId(AclOperation.WRITE, request.transactionalId())) {
            return CompletableFuture.completedFuture(errorResponse(request.topics(), Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (!authorization.allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.completedFuture(errorResponse(request.topics(), Errors.GROUP_AUTHORIZATION_FAILED));
        }
        List<TxnOffsetCommitRequestTopic> denied = request.topics().stream()
                .filter(t -> !authorization.allowsTopic(AclOperation.READ, t.name())).toList();
        if (denied.isEmpty()) {
            return commit(context, request);
        }
        TxnOffsetCommitRequestData allowed = request.duplicate();
        allowed.topics().removeIf(t -> denied.stream().anyMatch(d -> d.name().equals(t.name())));
        CompletableFuture<TxnOffsetCommitResponseData> committed = allowed.topics().isEmpty()
                ? CompletableFuture.completedFuture(new TxnOffsetCommitResponseData()) : commit(context, allowed);
        return committed.thenApply(response -> {
            response.topics().addAll(errorResponse(denied, Errors.TOPIC_AUTHORIZATION_FAILED).topics());
            return response;
        });
    }

    private CompletableFuture<TxnOffsetCommitResponseData> commit(RequestContext context,
                                                                  TxnOffsetCommitRequestData request) {
        if (verifier == null) {
            return coordinator.commitTransactionalOffsets(request);
        }
        TopicPartition groupPartition = new TopicPartition(offsetsTopic, coordinator.partitionFor(request.groupId()));
        return verifier.verify(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        Set.of(groupPartition), VerificationMode.forTxnOffsetCommit(context.apiVersion()))
                .thenCompose(errors -> {
                    Errors error = errors.getOrDefault(groupPartition, Errors.NONE);
                    return error == Errors.NONE ? coordinator.commitTransactionalOffsets(request)
                            : CompletableFuture.completedFuture(errorResponse(request.topics(), error));
                });
    }

    private static TxnOffsetCommitResponseData errorResponse(List<TxnOffsetCommitRequestTopic> topics, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestTopic topic : topics) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic out =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            topic.partitions().forEach(p -> out.partitions().add(
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(out);
        }
        return response;
    }
}
