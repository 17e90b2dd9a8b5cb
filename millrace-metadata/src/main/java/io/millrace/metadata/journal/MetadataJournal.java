package io.millrace.metadata.journal;

import io.millrace.metadata.records.MetadataRecord;
import java.io.Closeable;
import java.util.List;

/**
 * Where metadata records are made durable, in order. A single node uses
 * {@link LocalMetadataJournal}; a cluster puts a Raft quorum behind the same interface.
 */
public interface MetadataJournal extends Closeable {

    /** Every record stored so far, in order, for replay at start-up. */
    List<MetadataRecord> readAll();

    /** Stores {@code records} atomically (all or none) and durably before returning. */
    void append(List<MetadataRecord> records);

    @Override
    void close();
}
