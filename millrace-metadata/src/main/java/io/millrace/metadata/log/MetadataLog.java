package io.millrace.metadata.log;

import io.millrace.metadata.records.MetadataRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated, ordered log of metadata records, as the active controller writes it. A single
 * node without a quorum uses {@link LocalMetadataLog}; a cluster uses a Raft quorum (Apache
 * Ratis). Every committed batch is replayed, on every node, into that node's
 * {@link MetadataPublisher}.
 */
public interface MetadataLog extends AutoCloseable {

    /**
     * Appends {@code records} as one atomic batch. Completes once the batch is committed and has
     * been replayed into this node's publisher; fails with
     * {@link org.apache.kafka.common.errors.NotControllerException} when this node is not the
     * active controller.
     */
    CompletableFuture<Void> append(List<MetadataRecord> records);

    /**
     * As {@link #append(List)}, for the records of a command forwarded under a request id: a
     * replicated log keeps {@code outcome} with the batch, so whichever node is the active
     * controller next answers a retry of that request with the same reply instead of running the
     * command again. A log that is its own controller (a single node) just appends.
     */
    default CompletableFuture<Void> append(List<MetadataRecord> records, CommandOutcome outcome) {
        return append(records);
    }

    /** Whether this node is the active controller now: the quorum leader, with every committed record replayed. */
    boolean isActive();

    /**
     * Completes, with the record count reached, once this node's publisher has replayed every
     * record the active controller had committed when the node asked (after a restart: everything
     * that happened while it was away). A log that is its own controller is always caught up.
     */
    default CompletableFuture<Long> caughtUp() {
        return CompletableFuture.completedFuture(0L);
    }

    /**
     * How far this node has applied the log (for the metadata apply lag metrics); empty when not
     * known (not started, or closed). Thread-safe, cheap: read when {@code /metrics} is scraped.
     */
    default Optional<MetadataApplyPosition> applyPosition() {
        return Optional.empty();
    }

    @Override
    void close();
}
