package io.millrace.metadata.log;

import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.MetadataRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this node's metadata image and moves it forward by replaying committed batches, telling
 * each listener of every change in order. The {@link MetadataLog} calls {@link #publish} (and
 * {@link #reset} when a snapshot replaces the state) from one thread at a time; the monitor
 * keeps registration and publication in one order.
 */
public final class MetadataPublisher implements MetadataView {
    private static final Logger log = LoggerFactory.getLogger(MetadataPublisher.class);

    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public synchronized CompletableFuture<Void> register(MetadataListener listener) {
        listeners.add(listener);
        try {
            listener.onImage(MetadataImage.EMPTY, image);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Replays one committed batch. */
    public synchronized void publish(List<? extends MetadataRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        change(image.apply(batch));
    }

    /** Replaces the whole state with {@code snapshot} (the records of a snapshot image). */
    public synchronized void reset(List<? extends MetadataRecord> snapshot, long recordCount) {
        MetadataImage rebuilt = MetadataImage.EMPTY.apply(snapshot);
        change(rebuilt.withRecordCount(recordCount));
    }

    private void change(MetadataImage next) {
        MetadataImage previous = image;
        image = next;
        for (MetadataListener listener : listeners) {
            try {
                listener.onImage(previous, next);
            } catch (RuntimeException e) {
                log.error("A metadata listener failed to apply a change; this node's view may be stale", e);
            }
        }
    }
}
