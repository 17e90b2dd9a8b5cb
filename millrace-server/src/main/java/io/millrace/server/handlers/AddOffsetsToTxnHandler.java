package io.millrace.server.handlers;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.CoordinatorTopicSpec;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddOffsetsToTxn: the group's {@code __consumer_offsets} partition joins the transaction, so its
 * TxnOffsetCommit records get the transaction's marker. Needs WRITE on the transactional id and READ
 * on the group. Thread-safe; holds no state.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequestData> {
    private final TransactionCoordinatorService coordinator;
    private final GroupCoordinatorService groups;

    public AddOffsetsToTxnHandler(TransactionCoordinatorService coordinator, GroupCoordinatorService groups) {
        this.coordinator = coordinator;
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponseData> handle(RequestContext context,
                                                                 AddOffsetsToTxnRequestData request) {
        if (!context.authorization().allowsTransactionalId(AclOperation.WRITE, request.transactionalId())) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        }
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData()
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        TopicPartition offsets = new TopicPartition(CoordinatorTopicSpec.CONSUMER_OFFSETS,
                GroupIds.partitionFor(request.groupId(), groups.numPartitions()));
        return coordinator.addPartitions(request.transactionalId(), request.producerId(), request.producerEpoch(),
                Set.of(offsets)).thenApply(error -> new AddOffsetsToTxnResponseData().setErrorCode(error.code()));
    }
}
