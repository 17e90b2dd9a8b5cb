package io.millrace.server.network;

import java.util.concurrent.CompletableFuture;

/**
 * The handler future a connection is waiting on, so closing the connection can cancel the wait
 * instead of interrupting the thread: an interrupt landing in a file read would close that
 * segment's FileChannel for every reader of the partition. Thread-safe.
 */
final class InFlightRequest {
    private volatile CompletableFuture<?> future;
    private volatile boolean cancelled;

    void set(CompletableFuture<?> future) {
        this.future = future;
        if (cancelled) {
            future.cancel(false);
        }
    }

    void clear() {
        future = null;
    }

    /** Cancels the current wait and any later one on this connection. */
    void cancel() {
        cancelled = true;
        CompletableFuture<?> current = future;
        if (current != null) {
            current.cancel(false);
        }
    }
}
