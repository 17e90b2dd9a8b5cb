package io.millrace.server.producer;

import io.millrace.metadata.controller.ControllerChannel;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids from blocks the controller grants this broker, so ids never repeat
 * across restarts (the block is durable in the metadata before any id of it is used).
 * Thread-safe.
 */
public final class ProducerIdAllocator {
    static final int BLOCK_SIZE = 1000;

    private final int nodeId;
    private final ControllerChannel controller;
    private long next;
    private long blockEnd;

    public ProducerIdAllocator(int nodeId, ControllerChannel controller) {
        this.nodeId = nodeId;
        this.controller = controller;
    }

    public synchronized CompletableFuture<Long> nextProducerId() {
        if (next < blockEnd) {
            return CompletableFuture.completedFuture(next++);
        }
        return controller.allocateProducerIds(nodeId, BLOCK_SIZE).thenApply(this::takeFromNewBlock);
    }

    private synchronized long takeFromNewBlock(long firstOfBlock) {
        if (next >= blockEnd) {
            next = firstOfBlock;
            blockEnd = firstOfBlock + BLOCK_SIZE;
        }
        return next++;
    }
}
