package io.millrace.metadata.log;

import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import java.util.concurrent.CompletableFuture;

/** This node's view of the committed cluster metadata. */
public interface MetadataView {

    /** The latest published image; any thread, lock-free. */
    MetadataImage image();

    /**
     * Adds a listener and tells it of the current image at once (previous = EMPTY); completes
     * once that call has returned. Listeners are called in registration order, one change at a time.
     */
    CompletableFuture<Void> register(MetadataListener listener);
}
