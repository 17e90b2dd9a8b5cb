package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.coordinator.sharestate.ShareStateResult;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.server.replication.BrokerConnections;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.replication.NodeConnection;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.message.DeleteShareGroupStateRequestData;
import org.apache.kafka.common.message.DeleteShareGroupStateResponseData;
import org.apache.kafka.common.message.InitializeShareGroupStateRequestData;
import org.apache.kafka.common.message.InitializeShareGroupStateResponseData;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.message.WriteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Sends a share-partition leader's ReadShareGroupState and WriteShareGroupState (and the group
 * coordinator's ReadShareGroupStateSummary) to the share
 * coordinator on another broker, over the inter-broker listener. A broker that cannot be reached
 * or drops the connection answers COORDINATOR_NOT_AVAILABLE (the caller retries).
 *
 * <p>Threads: one, {@code share-state-sender}, sends every request (blocking, one at a time) and
 * owns the connections; the methods may be called from any thread and never block. Lifecycle:
 * {@link #close} at shutdown.
 */
public final class ShareStateSender implements AutoCloseable {
    private static final int TIMEOUT_MS = 30_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final BrokerConnections connections;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "share-state-sender");
        t.setDaemon(true);
        return t;
    });

    public ShareStateSender(Supplier<MetadataImage> metadata, String interBrokerListener, ClientSecurity security) {
        this.connections = new BrokerConnections(metadata, interBrokerListener, "share-state-sender",
                CONNECT_TIMEOUT_MS, TIMEOUT_MS, security);
    }

    public CompletableFuture<ShareStateResult> read(int brokerId, ShareStateKey key, int leaderEpoch) {
        ReadShareGroupStateRequestData request = new ReadShareGroupStateRequestData().setGroupId(key.groupId())
                .setTopics(List.of(new ReadShareGroupStateRequestData.ReadStateData().setTopicId(key.topicId())
                        .setPartitions(List.of(new ReadShareGroupStateRequestData.PartitionData()
                                .setPartition(key.partition()).setLeaderEpoch(leaderEpoch)))));
        return send(brokerId, connection -> {
            ReadShareGroupStateResponseData response = connection.send(ApiKeys.READ_SHARE_GROUP_STATE, (short) 0,
                    request, TIMEOUT_MS);
            return ShareStateWire.fromRead(response.results().get(0).partitions().get(0), leaderEpoch);
        });
    }

    public CompletableFuture<ShareStateResult> initialize(int brokerId, ShareStateKey key, int stateEpoch,
                                                         long startOffset) {
        InitializeShareGroupStateRequestData request = new InitializeShareGroupStateRequestData()
                .setGroupId(key.groupId()).setTopics(List.of(new InitializeShareGroupStateRequestData
                        .InitializeStateData().setTopicId(key.topicId()).setPartitions(List.of(
                                new InitializeShareGroupStateRequestData.PartitionData().setPartition(key.partition())
                                        .setStateEpoch(stateEpoch).setStartOffset(startOffset)))));
        return send(brokerId, connection -> {
            Errors error = Errors.forCode(connection.<InitializeShareGroupStateResponseData>send(
                    ApiKeys.INITIALIZE_SHARE_GROUP_STATE, (short) 0, request, TIMEOUT_MS)
                    .results().get(0).partitions().get(0).errorCode());
            return new ShareStateResult(error, null);
        });
    }

    public CompletableFuture<ShareStateResult> delete(int brokerId, ShareStateKey key) {
        DeleteShareGroupStateRequestData request = new DeleteShareGroupStateRequestData().setGroupId(key.groupId())
                .setTopics(List.of(new DeleteShareGroupStateRequestData.DeleteStateData().setTopicId(key.topicId())
                        .setPartitions(List.of(new DeleteShareGroupStateRequestData.PartitionData()
                                .setPartition(key.partition())))));
        return send(brokerId, connection -> new ShareStateResult(Errors.forCode(connection
                .<DeleteShareGroupStateResponseData>send(ApiKeys.DELETE_SHARE_GROUP_STATE, (short) 0, request, TIMEOUT_MS)
                .results().get(0).partitions().get(0).errorCode()), null));
    }

    /** The start offset and epochs only (the batches are not read). */
    public CompletableFuture<ShareStateResult> summary(int brokerId, ShareStateKey key) {
        ReadShareGroupStateSummaryRequestData request = new ReadShareGroupStateSummaryRequestData()
                .setGroupId(key.groupId()).setTopics(List.of(new ReadShareGroupStateSummaryRequestData
                        .ReadStateSummaryData().setTopicId(key.topicId()).setPartitions(List.of(
                                new ReadShareGroupStateSummaryRequestData.PartitionData().setPartition(key.partition())))));
        return send(brokerId, connection -> {
            ReadShareGroupStateSummaryResponseData.PartitionResult result = connection.<ReadShareGroupStateSummaryResponseData>
                    send(ApiKeys.READ_SHARE_GROUP_STATE_SUMMARY, (short) 0, request, TIMEOUT_MS)
                    .results().get(0).partitions().get(0);
            Errors error = Errors.forCode(result.errorCode());
            if (error != Errors.NONE || result.startOffset() < 0) {
                return new ShareStateResult(error, null);
            }
            return new ShareStateResult(Errors.NONE, new ShareSnapshot(result.stateEpoch(), result.leaderEpoch(),
                    result.startOffset(), List.of()));
        });
    }

    public CompletableFuture<ShareStateResult> write(int brokerId, ShareStateKey key, ShareSnapshot snapshot) {
        WriteShareGroupStateRequestData request = new WriteShareGroupStateRequestData().setGroupId(key.groupId())
                .setTopics(List.of(new WriteShareGroupStateRequestData.WriteStateData().setTopicId(key.topicId())
                        .setPartitions(List.of(ShareStateWire.toWrite(key.partition(), snapshot)))));
        return send(brokerId, connection -> {
            WriteShareGroupStateResponseData response = connection.send(ApiKeys.WRITE_SHARE_GROUP_STATE, (short) 0,
                    request, TIMEOUT_MS);
            Errors error = Errors.forCode(response.results().get(0).partitions().get(0).errorCode());
            return new ShareStateResult(error, error == Errors.NONE ? snapshot : null);
        });
    }

    private interface Exchange {
        ShareStateResult run(NodeConnection connection) throws IOException;
    }

    private CompletableFuture<ShareStateResult> send(int brokerId, Exchange exchange) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    NodeConnection connection = connections.get(brokerId);
                    if (connection == null) {
                        return new ShareStateResult(Errors.COORDINATOR_NOT_AVAILABLE, null);
                    }
                    return exchange.run(connection);
                } catch (IOException | RuntimeException e) {
                    connections.drop(brokerId, e);
                    return new ShareStateResult(Errors.COORDINATOR_NOT_AVAILABLE, null);
                }
            }, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new ShareStateResult(Errors.COORDINATOR_NOT_AVAILABLE, null));
        }
    }

    @Override
    public void close() {
        thread.submit(connections::close);
        thread.shutdown();
    }
}
