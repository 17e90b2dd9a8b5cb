package io.millrace.server.handlers;

import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddPartitionsToTxn v0–5: one transaction from a client before v4, a batch from v4 (brokers'
 * KIP-890 part 1 checks, which may be verify-only: answer whether each partition is already in
 * the transaction, adding nothing). As Kafka: partitions of unknown topics get
 * UNKNOWN_TOPIC_OR_PARTITION and the others of that transaction OPERATION_NOT_ATTEMPTED; a
 * transaction's error applies to each of its partitions. Thread-safe; holds no state.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler<AddPartitionsToTxnRequestData> {
    private static final short BATCHED_VERSION = 4;
    private final TransactionCoordinatorService coordinator;
    private final Predicate<TopicPartition> exists;

    public AddPartitionsToTxnHandler(TransactionCoordinatorService coordinator, Predicate<TopicPartition> exists) {
        this.coordinator = coordinator;
        this.exists = exists;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<AddPartitionsToTxnResponseData> handle(RequestContext context,
                                                                    AddPartitionsToTxnRequestData request) {
        if (context.apiVersion() < BATCHED_VERSION) {
            AddPartitionsToTxnResult denied = clientDenial(context.authorization(), request.v3AndBelowTransactionalId(),
                    request.v3AndBelowTopics());
            if (denied != null) {
                return CompletableFuture.completedFuture(new AddPartitionsToTxnResponseData()
                        .setResultsByTopicV3AndBelow(denied.topicResults().duplicate()));
            }
            return one(new AddPartitionsToTxnTransaction().setTransactionalId(request.v3AndBelowTransactionalId())
                    .setProducerId(request.v3AndBelowProducerId()).setProducerEpoch(request.v3AndBelowProducerEpoch())
                    .setTopics(request.v3AndBelowTopics().duplicate()))
                    .thenApply(result -> new AddPartitionsToTxnResponseData()
                            .setResultsByTopicV3AndBelow(result.topicResults().duplicate()));
        }
        if (!context.authorization().allowsCluster(AclOperation.CLUSTER_ACTION)) {
            // v4+ comes from partition leaders checking transactions (KIP-890), never from clients
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        List<CompletableFuture<AddPartitionsToTxnResult>> futures = new ArrayList<>();
        request.transactions().forEach(txn -> futures.add(one(txn)));
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData().setErrorCode(Errors.NONE.code());
            futures.forEach(f -> response.resultsByTransaction().add(f.join().duplicate()));
            return response;
        });
    }

    private CompletableFuture<AddPartitionsToTxnResult> one(AddPartitionsToTxnTransaction txn) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (AddPartitionsToTxnTopic topic : txn.topics()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p)));
        }
        Set<TopicPartition> unknown = new LinkedHashSet<>();
        partitions.forEach(tp -> {
            if (!exists.test(tp)) {
                unknown.add(tp);
            }
        });
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Errors> errors = new HashMap<>();
            partitions.forEach(tp -> errors.put(tp, unknown.contains(tp)
                    ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED));
            return CompletableFuture.completedFuture(result(txn.transactionalId(), errors));
        }
        if (txn.verifyOnly()) {
            return coordinator.verifyPartitions(txn.transactionalId(), txn.producerId(), txn.producerEpoch(), partitions)
                    .thenApply(errors -> result(txn.transactionalId(), errors));
        }
        return coordinator.addPartitions(txn.transactionalId(), txn.producerId(), txn.producerEpoch(), partitions)
                .thenApply(error -> {
                    Map<TopicPartition, Errors> errors = new HashMap<>();
                    partitions.forEach(tp -> errors.put(tp, error));
                    return result(txn.transactionalId(), errors);
                });
    }

    /**
     * A client's request (v3 and below) needs WRITE on the transactional id (else every partition
     * answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and WRITE on each topic (else its partitions
     * answer TOPIC_AUTHORIZATION_FAILED and the others OPERATION_NOT_ATTEMPTED); null when allowed.
     */
    private static AddPartitionsToTxnResult clientDenial(Authorization authorization, String transactionalId,
                                                         AddPartitionsToTxnTopicCollection topics) {
        boolean idAllowed = authorization.allowsTransactionalId(AclOperation.WRITE, transactionalId);
        Set<String> deniedTopics = new HashSet<>();
        if (idAllowed) {
            topics.forEach(t -> {
                if (!authorization.allowsTopic(AclOperation.WRITE, t.name())) {
                    deniedTopics.add(t.name());
                }
            });
            if (deniedTopics.isEmpty()) {
                return null;
            }
        }
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        topics.forEach(t -> t.partitions().forEach(p -> errors.put(new TopicPartition(t.name(), p),
                !idAllowed ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                        : deniedTopics.contains(t.name()) ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.OPERATION_NOT_ATTEMPTED)));
        return result(transactionalId, errors);
    }

    private static AddPartitionsToTxnResult result(String transactionalId, Map<TopicPartition, Errors> errors) {
        AddPartitionsToTxnTopicResultCollection topics = new AddPartitionsToTxnTopicResultCollection();
        errors.forEach((tp, error) -> {
            AddPartitionsToTxnTopicResult topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new AddPartitionsToTxnTopicResult().setName(tp.topic());
                topics.add(topic);
            }
            topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(tp.partition())
                    .setPartitionErrorCode(error.code()));
        });
        return new AddPartitionsToTxnResult().setTransactionalId(transactionalId).setTopicResults(topics);
    }
}
