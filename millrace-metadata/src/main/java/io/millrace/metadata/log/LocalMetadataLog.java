package io.millrace.metadata.log;

import io.millrace.metadata.journal.LocalMetadataJournal;
import io.millrace.metadata.records.MetadataRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The metadata log of a node that is its own quorum: a local journal. An append is durable and
 * published before its future completes. The history is replayed into the publisher when opened.
 */
public final class LocalMetadataLog implements MetadataLog {
    private final LocalMetadataJournal journal;
    private final MetadataPublisher publisher;

    public LocalMetadataLog(LocalMetadataJournal journal, MetadataPublisher publisher) {
        this.journal = journal;
        this.publisher = publisher;
        publisher.publish(journal.readAll());
    }

    @Override
    public synchronized CompletableFuture<Void> append(List<MetadataRecord> records) {
        try {
            journal.append(records);
            publisher.publish(records);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean isActive() {
        return true;
    }

    /** Always caught up: an append is published before it completes. In record counts. */
    @Override
    public Optional<MetadataApplyPosition> applyPosition() {
        return Optional.of(MetadataApplyPosition.caughtUp(publisher.image().recordCount(), System.currentTimeMillis()));
    }

    @Override
    public void close() {
        journal.close();
    }
}
