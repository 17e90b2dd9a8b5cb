package io.millrace.server.handlers;

import io.millrace.metadata.log.MetadataView;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.CoordinatorTopic;
import io.millrace.server.lifecycle.LiveBrokers;
import io.millrace.server.lifecycle.LiveBrokers.AdvertisedBroker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator for groups: the leader of the group's {@code __consumer_offsets} partition, at
 * its registered endpoint for the request's listener, creating the topic on first use. No leader,
 * or a leader the image does not know, is COORDINATOR_NOT_AVAILABLE (the client retries). One key
 * before v4, a batch of keys from v4 (KIP-699). Transactional ids: the leader of their
 * {@code __transaction_state} partition the same way when transactions are served
 * ({@code TransactionSurfaces}), else COORDINATOR_NOT_AVAILABLE. Needs DESCRIBE on the group
 * or transactional id (else GROUP_/TRANSACTIONAL_ID_AUTHORIZATION_FAILED for that key). Thread-safe;
 * holds no mutable state.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private static final short BATCHED_VERSION = 4;

    private final LiveBrokers brokers;
    private final MetadataView metadata;
    private final CoordinatorTopic offsetsTopic;
    private final CoordinatorTopic transactionTopic;

    public FindCoordinatorHandler(LiveBrokers brokers, MetadataView metadata, CoordinatorTopic offsetsTopic) {
        this(brokers, metadata, offsetsTopic, null);
    }

    /** @param transactionTopic {@code __transaction_state}, or null when transactions are not served */
    public FindCoordinatorHandler(LiveBrokers brokers, MetadataView metadata, CoordinatorTopic offsetsTopic,
                                  CoordinatorTopic transactionTopic) {
        this.brokers = brokers;
        this.metadata = metadata;
        this.offsetsTopic = offsetsTopic;
        this.transactionTopic = transactionTopic;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponseData> handle(RequestContext context, FindCoordinatorRequestData request) {
        List<String> keys = context.apiVersion() >= BATCHED_VERSION ? request.coordinatorKeys() : List.of(request.key());
        Set<String> denied = new HashSet<>();
        for (String key : keys) {
            if (key != null && !mayDescribe(context.authorization(), request.keyType(), key)) {
                denied.add(key);
            }
        }
        CoordinatorTopic topic = topicFor(request.keyType());
        if (topic != null && !topic.exists() && denied.size() < keys.size()) {
            return topic.ensureCreated().thenApply(created -> build(context, request.keyType(), keys, denied));
        }
        return CompletableFuture.completedFuture(build(context, request.keyType(), keys, denied));
    }

    /** Finding a group's coordinator needs DESCRIBE on the group; a transaction's, DESCRIBE on its transactional id. */
    private static boolean mayDescribe(Authorization authorization, byte keyType, String key) {
        return switch (keyType) {
            case GROUP -> authorization.allowsGroup(AclOperation.DESCRIBE, key);
            case TRANSACTION -> authorization.allowsTransactionalId(AclOperation.DESCRIBE, key);
            default -> true;
        };
    }

    private FindCoordinatorResponseData build(RequestContext context, byte keyType, List<String> keys,
                                              Set<String> denied) {
        List<Coordinator> coordinators = new ArrayList<>();
        for (String key : keys) {
            coordinators.add(denied.contains(key) ? error(new Coordinator().setKey(key), keyType == GROUP
                    ? Errors.GROUP_AUTHORIZATION_FAILED : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, null)
                    : coordinator(context, keyType, key));
        }
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (context.apiVersion() >= BATCHED_VERSION) {
            return response.setCoordinators(coordinators);
        }
        Coordinator only = coordinators.get(0);
        return response.setErrorCode(only.errorCode())
                .setErrorMessage(context.apiVersion() >= 1 ? only.errorMessage() : null)
                .setNodeId(only.nodeId()).setHost(only.host()).setPort(only.port());
    }

    private Coordinator coordinator(RequestContext context, byte keyType, String key) {
        Coordinator out = new Coordinator().setKey(key);
        if (keyType == TRANSACTION && transactionTopic == null) {
            return error(out, Errors.COORDINATOR_NOT_AVAILABLE, "Transactions are not supported yet");
        }
        CoordinatorTopic topic = topicFor(keyType);
        if (topic == null) {
            return error(out, Errors.INVALID_REQUEST, "Unsupported key type " + keyType);
        }
        if (key == null || (keyType == TRANSACTION && key.isEmpty())) {
            return error(out, Errors.INVALID_REQUEST, "A coordinator key must not be null");
        }
        Optional<Integer> leader = topic.leaderFor(key);
        Optional<AdvertisedBroker> node = leader.filter(id -> id >= 0)
                .flatMap(id -> brokers.find(metadata.image(), id, context.listenerName()));
        if (node.isEmpty()) {
            return error(out, Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator is not available");
        }
        return out.setNodeId(node.get().brokerId()).setHost(node.get().host()).setPort(node.get().port())
                .setErrorCode(Errors.NONE.code()).setErrorMessage(null);
    }

    /** The coordinator topic of {@code keyType}, or null when there is none (unknown, or not served). */
    private CoordinatorTopic topicFor(byte keyType) {
        return switch (keyType) {
            case GROUP -> offsetsTopic;
            case TRANSACTION -> transactionTopic;
            default -> null;
        };
    }

    private static Coordinator error(Coordinator out, Errors error, String message) {
        return out.setNodeId(-1).setHost("").setPort(-1).setErrorCode(error.code()).setErrorMessage(message);
    }
}
