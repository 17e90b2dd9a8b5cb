package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.AppendOutcome;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.wire.batch.TransactionMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * WriteTxnMarkers (KIP-98), sent by a transaction coordinator to each partition's leader: for
 * every marker, appends a COMMIT or ABORT control batch for (producer id, producer epoch,
 * coordinator epoch) to each listed partition this broker leads ({@link
 * PartitionAccess#appendTransactionMarker}), and answers per partition once the marker is
 * replicated (the high watermark passed it), as Kafka appends markers with acks=all. Errors as
 * Kafka's: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS(_AFTER_APPEND),
 * INVALID_PRODUCER_EPOCH (a marker older than the producer's epoch here),
 * TRANSACTION_COORDINATOR_FENCED (older than the last marker's coordinator epoch),
 * REQUEST_TIMED_OUT, KAFKA_STORAGE_ERROR.
 *
 * <p>A marker for a partition of the offsets topic (a transaction that committed offsets with
 * TxnOffsetCommit) goes through the group coordinator instead ({@link
 * GroupCoordinatorService#completeTransaction}), as in Kafka: the partition's shard appends it on its
 * owner thread and replays it, so the transaction's offsets become the group's (or vanish) exactly
 * when the marker is in the log, and are shown once it is committed. A shard not served here answers
 * NOT_LEADER_OR_FOLLOWER, which the transaction coordinator retries.
 *
 * <p>An inter-broker API; advertised like every registered handler (Kafka advertises it on its
 * broker listeners too); needs CLUSTER_ACTION on the cluster, or ALTER (an admin aborting a
 * transaction, KIP-664), as in Kafka. Stateless.
 */
public final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequestData> {
    /** How long a marker may take to be replicated: Kafka's request.timeout.ms default. */
    static final long REPLICATION_TIMEOUT_MS = 30_000;

    private final PartitionAccess access;
    private final String offsetsTopic;
    private final GroupCoordinatorService groupCoordinator;

    public WriteTxnMarkersHandler(PartitionAccess access, String offsetsTopic, GroupCoordinatorService groupCoordinator) {
        this.access = access;
        this.offsetsTopic = offsetsTopic;
        this.groupCoordinator = groupCoordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<WriteTxnMarkersResponseData> handle(RequestContext context,
                                                                 WriteTxnMarkersRequestData request) {
        // Brokers send it with CLUSTER_ACTION; an admin aborting a hanging transaction (KIP-664) with ALTER.
        if (!context.authorization().allowsQuietly(AclOperation.ALTER, ResourceType.CLUSTER, Authorization.CLUSTER)
                && !context.authorization().allowsCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (WritableTxnMarker marker : request.markers()) {
            WritableTxnMarkerResult markerResult = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            response.markers().add(markerResult);
            TransactionMarker content = new TransactionMarker(marker.transactionResult(), marker.coordinatorEpoch());
            for (WritableTxnMarkerTopic topic : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                markerResult.topics().add(topicResult);
                for (int partition : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult result = new WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(partition);
                    topicResult.partitions().add(result);
                    pending.add(write(new TopicPartition(topic.name(), partition), marker, content)
                            .thenAccept(error -> result.setErrorCode(error.code())));
                }
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    private CompletableFuture<Errors> write(TopicPartition tp, WritableTxnMarker marker, TransactionMarker content) {
        if (tp.topic().equals(offsetsTopic)) {
            return groupCoordinator.completeTransaction(tp.partition(), marker.producerId(), marker.producerEpoch(),
                    content.coordinatorEpoch(), content.commit() ? io.millrace.coordinator.runtime.TransactionMarker.COMMIT
                            : io.millrace.coordinator.runtime.TransactionMarker.ABORT);
        }
        AppendOutcome appended = access.appendTransactionMarker(tp, marker.producerId(), marker.producerEpoch(),
                content);
        if (appended.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(appended.error());
        }
        return access.awaitCommitted(tp, appended.result(), REPLICATION_TIMEOUT_MS);
    }
}
