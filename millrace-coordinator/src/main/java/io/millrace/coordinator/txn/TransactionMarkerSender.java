package io.millrace.coordinator.txn;

import java.util.concurrent.CompletableFuture;

/**
 * Writes a prepared transaction's markers to the leaders of its partitions (WriteTxnMarkers,
 * between brokers). The server implements it; tests use a double.
 *
 * <p>Contract: the future completes once every marker is written, retrying leaders that are not
 * available or not the leader; a partition deleted meanwhile is dropped. It completes
 * exceptionally only when this node stops coordinating {@code coordinatorPartition} (the new
 * coordinator sends the markers again). Thread-safe; may complete on any thread.
 */
public interface TransactionMarkerSender {
    CompletableFuture<Void> send(TransactionMarkers markers);
}
