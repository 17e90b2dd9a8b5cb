package io.millrace.metadata.controller;

import io.millrace.metadata.image.MetadataImage;

/**
 * Told of each new metadata image, on the controller thread, in order. Must be quick and must
 * not call back into the controller synchronously.
 */
@FunctionalInterface
public interface MetadataListener {
    void onImage(MetadataImage previous, MetadataImage current);
}
