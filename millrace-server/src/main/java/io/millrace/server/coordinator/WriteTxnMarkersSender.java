package io.millrace.server.coordinator;

import io.millrace.coordinator.txn.TransactionMarkerSender;
import io.millrace.coordinator.txn.TransactionMarkers;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.replication.BrokerConnections;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.replication.NodeConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a prepared transaction's COMMIT/ABORT markers with WriteTxnMarkers to the current leader
 * of each of its partitions (this broker included, over its own inter-broker listener), grouped
 * by leader; the coordinator epoch sent is the leader epoch of the coordinating
 * {@code __transaction_state} partition. Partitions without a leader, or whose leader answers
 * anything but NONE, are tried again every {@value #RETRY_BACKOFF_MS} ms until written; a
 * partition whose topic was deleted is dropped. Gives up (the future fails with NOT_COORDINATOR)
 * once this node stops coordinating the transaction's partition.
 *
 * <p>Threads: one, {@code txn-marker-sender}, sends every request (blocking, one at a time) and
 * owns the connection cache; {@link #send} may be called from any thread. Lifecycle: built at
 * start-up, {@link #close} at shutdown (pending futures then never complete).
 */
public final class WriteTxnMarkersSender implements TransactionMarkerSender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteTxnMarkersSender.class);
    static final long RETRY_BACKOFF_MS = 100;
    private static final int TIMEOUT_MS = 30_000;

    private final Supplier<MetadataImage> metadata;
    private final IntPredicate coordinating;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "txn-marker-sender");
        t.setDaemon(true);
        return t;
    });
    private final BrokerConnections connections;

    /** @param coordinating whether this node still coordinates a {@code __transaction_state} partition */
    public WriteTxnMarkersSender(Supplier<MetadataImage> metadata, String interBrokerListener, IntPredicate coordinating) {
        this(metadata, interBrokerListener, coordinating, ClientSecurity.PLAINTEXT);
    }

    /** @param security how to secure connections to the inter-broker listener (TLS when it is SSL) */
    public WriteTxnMarkersSender(Supplier<MetadataImage> metadata, String interBrokerListener, IntPredicate coordinating,
                                 ClientSecurity security) {
        this.metadata = metadata;
        this.coordinating = coordinating;
        this.connections = new BrokerConnections(metadata, interBrokerListener, "txn-marker-sender", 5_000, TIMEOUT_MS,
                security);
    }

    @Override
    public CompletableFuture<Void> send(TransactionMarkers markers) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(markers, new HashSet<>(markers.partitions()), done, 0);
        return done;
    }

    private void submit(TransactionMarkers markers, Set<TopicPartition> remaining, CompletableFuture<Void> done,
                        long delayMs) {
        try {
            thread.schedule(() -> attempt(markers, remaining, done), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the next coordinator writes them
        }
    }

    private void attempt(TransactionMarkers markers, Set<TopicPartition> remaining, CompletableFuture<Void> done) {
        if (!coordinating.test(markers.coordinatorPartition())) {
            done.completeExceptionally(new NotCoordinatorException("No longer coordinating " + markers.transactionalId()));
            return;
        }
        MetadataImage image = metadata.get();
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        for (TopicPartition tp : Set.copyOf(remaining)) {
            Optional<PartitionRecord> partition = image.topic(tp.topic()).map(TopicImage::partitions)
                    .map(p -> p.get(tp.partition()));
            if (partition.isEmpty()) {
                remaining.remove(tp); // deleted meanwhile: nothing left to mark
            } else if (partition.get().leader() >= 0) {
                byLeader.computeIfAbsent(partition.get().leader(), l -> new ArrayList<>()).add(tp);
            }
        }
        int coordinatorEpoch = image.topic(CoordinatorTopicSpec.TRANSACTION_STATE)
                .map(t -> t.partitions().get(markers.coordinatorPartition()))
                .map(PartitionRecord::leaderEpoch).orElse(0);
        byLeader.forEach((leader, partitions) -> remaining.removeAll(
                sendTo(leader, markers, partitions, coordinatorEpoch)));
        if (remaining.isEmpty()) {
            done.complete(null);
        } else {
            submit(markers, remaining, done, RETRY_BACKOFF_MS);
        }
    }

    /** The partitions {@code leader} wrote the marker to. */
    private Set<TopicPartition> sendTo(int leader, TransactionMarkers markers,
                                       List<TopicPartition> partitions, int coordinatorEpoch) {
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData().setMarkers(List.of(
                MarkerRequests.marker(markers, partitions, coordinatorEpoch)));
        try {
            NodeConnection connection = connections.get(leader);
            if (connection == null) {
                return Set.of();
            }
            short version = connection.versionFor(ApiKeys.WRITE_TXN_MARKERS, (short) 0);
            WriteTxnMarkersResponseData response = connection.send(ApiKeys.WRITE_TXN_MARKERS, version, request, TIMEOUT_MS);
            return MarkerRequests.written(response);
        } catch (IOException | RuntimeException e) {
            log.debug("WriteTxnMarkers to broker {} failed: {}", leader, e.toString());
            connections.drop(leader, e);
            return Set.of();
        }
    }

    @Override
    public void close() {
        thread.execute(connections::close);
        thread.shutdown();
    }
}
