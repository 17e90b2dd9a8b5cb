package io.millrace.coordinator.group;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorPartitions;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorRuntime;
import io.millrace.coordinator.runtime.TransactionMarker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the group API handlers call: routes each group to the shard of its partition
 * ({@link GroupIds#partitionFor}) and answers with the generated response data. Errors of the
 * runtime (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, a failed append) become the response's
 * error codes. Thread-safe; every method returns at once with a future.
 *
 * <p>Lifecycle: {@link #onElection}/{@link #onResignation} as this node gains or loses leadership
 * of {@code __consumer_offsets} partitions; {@link #close} at shutdown.
 */
public final class GroupCoordinatorService implements CoordinatorPartitions, AutoCloseable {
    private final GroupCoordinatorConfig config;
    private final CoordinatorRuntime<GroupCoordinatorShard> runtime;
    private final GroupRebalances rebalances = new GroupRebalances();
    private volatile int numPartitions;

    public GroupCoordinatorService(GroupCoordinatorConfig config, CoordinatorLog log, TopicsView topics, Time time,
                                   GroupTypeConfigs groupTypes) {
        this.config = config;
        this.numPartitions = config.numPartitions();
        this.runtime = new CoordinatorRuntime<>("group-coordinator", config.threads(), log, time,
                context -> new GroupCoordinatorShard(context, config, topics, groupTypes, rebalances));
    }

    /** The rebalances of the groups this node has coordinated since it started. */
    public GroupRebalances rebalances() {
        return rebalances;
    }

    public int numPartitions() {
        return numPartitions;
    }

    /**
     * The partition count of the existing {@code __consumer_offsets}, which wins over
     * offsets.topic.num.partitions (as in Kafka: the topic is never resized).
     */
    @Override
    public void useNumPartitions(int partitions) {
        this.numPartitions = partitions;
    }

    @Override
    public int partitionFor(String groupId) {
        return GroupIds.partitionFor(groupId, numPartitions);
    }

    /** This node now leads {@code partition}: load it. */
    @Override
    public void onElection(int partition) {
        runtime.load(partition);
    }

    /** This node no longer leads {@code partition}. */
    @Override
    public void onResignation(int partition) {
        runtime.unload(partition);
    }

    public boolean isActive(int partition) {
        return runtime.isActive(partition);
    }

    /** Runs a write operation on the shard of {@code groupId} (for the KIP-848 component's APIs). */
    public <T> CompletableFuture<T> write(String groupId, String name,
                                          Function<GroupCoordinatorShard, CoordinatorResult<T>> operation) {
        return runtime.write(partitionFor(groupId), name, operation);
    }

    /** Runs a read-only operation on the shard of {@code groupId}. */
    public <T> CompletableFuture<T> read(String groupId, Function<GroupCoordinatorShard, T> operation) {
        return runtime.read(partitionFor(groupId), operation);
    }

    public CompletableFuture<JoinGroupResponseData> joinGroup(GroupRequestContext ctx, JoinGroupRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(joinError(request.memberId(), Errors.INVALID_GROUP_ID));
        }
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        write(request.groupId(), "join-group", shard -> shard.classicGroups().join(ctx, request, response))
                .whenComplete((now, failure) -> {
                    if (failure != null) {
                        response.complete(joinError(request.memberId(), errorOf(failure)));
                    } else if (now != null) {
                        response.complete(now);
                    }
                });
        return response;
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(GroupRequestContext ctx, SyncGroupRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(syncError(Errors.INVALID_GROUP_ID));
        }
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        write(request.groupId(), "sync-group", shard -> shard.classicGroups().sync(request, response))
                .whenComplete((now, failure) -> {
                    if (failure != null) {
                        response.complete(syncError(errorOf(failure)));
                    } else if (now != null) {
                        response.complete(now);
                    }
                });
        return response;
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(GroupRequestContext ctx, HeartbeatRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(new HeartbeatResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return write(request.groupId(), "heartbeat", shard -> shard.classicGroups().heartbeat(request))
                .exceptionally(t -> new HeartbeatResponseData().setErrorCode(errorOf(t).code()));
    }

    /** LeaveGroup; before v3 one member, whose error is the response's. */
    public CompletableFuture<LeaveGroupResponseData> leaveGroup(GroupRequestContext ctx, LeaveGroupRequestData request) {
        List<LeaveGroupRequestData.MemberIdentity> members = ctx.apiVersion() >= 3 ? request.members()
                : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()));
        CompletableFuture<LeaveGroupResponseData> result;
        if (!GroupIds.isValid(request.groupId())) {
            result = CompletableFuture.completedFuture(
                    new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        } else {
            result = write(request.groupId(), "leave-group", shard -> shard.classicGroups().leave(request.groupId(), members))
                    .exceptionally(t -> new LeaveGroupResponseData().setErrorCode(errorOf(t).code()));
        }
        if (ctx.apiVersion() >= 3) {
            return result;
        }
        return result.thenApply(r -> {
            short error = r.errorCode() != 0 || r.members().isEmpty() ? r.errorCode() : r.members().get(0).errorCode();
            return new LeaveGroupResponseData().setErrorCode(error);
        });
    }

    public CompletableFuture<OffsetCommitResponseData> commitOffsets(GroupRequestContext ctx, OffsetCommitRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(commitError(ctx, request, Errors.INVALID_GROUP_ID));
        }
        return write(request.groupId(), "offset-commit", shard -> shard.commitOffsets(ctx, request))
                .exceptionally(t -> commitError(ctx, request, errorOf(t)));
    }

    /**
     * OffsetFetch of several groups (v8+; one group before), each answered or failed on its own;
     * with {@code requireStable}, partitions with an offset pending in a transaction answer
     * UNSTABLE_OFFSET_COMMIT.
     */
    public CompletableFuture<List<OffsetFetchResponseGroup>> fetchOffsets(GroupRequestContext ctx,
                                                                         List<OffsetFetchRequestGroup> groups,
                                                                         boolean requireStable) {
        List<CompletableFuture<OffsetFetchResponseGroup>> futures = new ArrayList<>();
        for (OffsetFetchRequestGroup group : groups) {
            if (!GroupIds.isValid(group.groupId())) {
                futures.add(CompletableFuture.completedFuture(new OffsetFetchResponseGroup().setGroupId(group.groupId())
                        .setErrorCode(Errors.INVALID_GROUP_ID.code())));
                continue;
            }
            futures.add(read(group.groupId(), shard -> shard.fetchOffsets(ctx, group, requireStable))
                    .exceptionally(t -> new OffsetFetchResponseGroup().setGroupId(group.groupId())
                            .setErrorCode(errorOf(t).code())));
        }
        return allOf(futures);
    }

    /**
     * TxnOffsetCommit: the offsets are written as a transactional batch of the request's producer
     * and become the group's at its COMMIT marker ({@link #completeTransaction}); errors as Kafka's
     * (the group checks, UNKNOWN_TOPIC_OR_PARTITION, and the runtime's coordinator errors;
     * INVALID_PRODUCER_EPOCH when the partition knows a newer epoch of the producer).
     */
    public CompletableFuture<TxnOffsetCommitResponseData> commitTransactionalOffsets(TxnOffsetCommitRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(txnCommitError(request, Errors.INVALID_GROUP_ID));
        }
        return write(request.groupId(), "txn-offset-commit", shard -> shard.commitTransactionalOffsets(request))
                .exceptionally(t -> txnCommitError(request, errorOf(t)));
    }

    /**
     * Writes a WriteTxnMarkers COMMIT or ABORT marker to {@code partition} of the offsets topic
     * through its shard ({@link CoordinatorRuntime#completeTransaction}), so the producer's pending
     * offsets become the group's or vanish once it is committed. Completes with the partition error
     * for the transaction coordinator: the shard not being served here (not loaded, loading, not
     * the leader) is NOT_LEADER_OR_FOLLOWER, which it retries, as Kafka answers.
     */
    public CompletableFuture<Errors> completeTransaction(int partition, long producerId, short producerEpoch,
                                                         int coordinatorEpoch, TransactionMarker marker) {
        return runtime.completeTransaction(partition, producerId, producerEpoch, coordinatorEpoch, marker)
                .handle((v, t) -> {
                    if (t == null) {
                        return Errors.NONE;
                    }
                    Errors error = errorOf(t);
                    return switch (error) {
                        case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS ->
                                Errors.NOT_LEADER_OR_FOLLOWER;
                        default -> error;
                    };
                });
    }

    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return write(request.groupId(), "offset-delete", shard -> shard.deleteOffsets(request))
                .exceptionally(t -> new OffsetDeleteResponseData().setErrorCode(errorOf(t).code()));
    }

    /** Every group of every partition served here; a loading partition sets the error code. */
    public CompletableFuture<ListGroupsResponseData> listGroups(List<String> statesFilter, List<String> typesFilter) {
        List<CompletableFuture<List<ListGroupsResponseData.ListedGroup>>> futures = new ArrayList<>();
        Errors[] error = {Errors.NONE};
        for (int p = 0; p < numPartitions; p++) {
            if (!runtime.isHosted(p)) {
                continue;
            }
            futures.add(runtime.read(p, shard -> shard.listGroups(statesFilter, typesFilter)).exceptionally(t -> {
                synchronized (error) {
                    error[0] = errorOf(t);
                }
                return List.of();
            }));
        }
        return allOf(futures).thenApply(lists -> {
            ListGroupsResponseData response = new ListGroupsResponseData();
            lists.forEach(response.groups()::addAll);
            synchronized (error) {
                return response.setErrorCode(error[0].code());
            }
        });
    }

    public CompletableFuture<List<DescribedGroup>> describeGroups(GroupRequestContext ctx, List<String> groupIds) {
        List<CompletableFuture<DescribedGroup>> futures = new ArrayList<>();
        for (String groupId : groupIds) {
            if (!GroupIds.isValid(groupId)) {
                futures.add(CompletableFuture.completedFuture(new DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.INVALID_GROUP_ID.code())));
                continue;
            }
            futures.add(read(groupId, shard -> shard.describeGroup(groupId, ctx.apiVersion()))
                    .exceptionally(t -> new DescribedGroup().setGroupId(groupId).setErrorCode(errorOf(t).code())));
        }
        return allOf(futures);
    }

    public CompletableFuture<DeleteGroupsResponseData> deleteGroups(List<String> groupIds) {
        Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
        List<DeletableGroupResult> invalid = new ArrayList<>();
        for (String groupId : groupIds) {
            if (!GroupIds.isValid(groupId)) {
                invalid.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code()));
            } else {
                byPartition.computeIfAbsent(partitionFor(groupId), p -> new ArrayList<>()).add(groupId);
            }
        }
        List<CompletableFuture<List<DeletableGroupResult>>> futures = new ArrayList<>();
        futures.add(CompletableFuture.completedFuture(invalid));
        byPartition.forEach((partition, ids) -> futures.add(
                runtime.write(partition, "delete-groups", shard -> shard.deleteGroups(ids)).exceptionally(t -> {
                    short code = errorOf(t).code();
                    return ids.stream().map(id -> new DeletableGroupResult().setGroupId(id).setErrorCode(code)).toList();
                })));
        return allOf(futures).thenApply(lists -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            lists.forEach(list -> list.forEach(r -> response.results().add(r.duplicate())));
            return response;
        });
    }

    @Override
    public void close() {
        runtime.close();
    }

    private static <T> CompletableFuture<List<T>> allOf(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    /** The error code a failure of the runtime becomes. */
    static Errors errorOf(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof ApiException ? Errors.forException(cause) : Errors.UNKNOWN_SERVER_ERROR;
    }

    private static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId == null ? "" : memberId).setErrorCode(error.code())
                .setGenerationId(-1);
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code());
    }

    private static TxnOffsetCommitResponseData txnCommitError(TxnOffsetCommitRequestData request, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic out =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            topic.partitions().forEach(p -> out.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(out);
        }
        return response;
    }

    private static OffsetCommitResponseData commitError(GroupRequestContext ctx, OffsetCommitRequestData request,
                                                        Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic out = new OffsetCommitResponseData.OffsetCommitResponseTopic();
            if (ctx.apiVersion() >= OffsetOperations.TOPIC_ID_VERSION) {
                out.setTopicId(topic.topicId());
            } else {
                out.setName(topic.name());
            }
            topic.partitions().forEach(p -> out.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(out);
        }
        return response;
    }
}
