package io.millrace.server.partition;

import java.util.concurrent.CompletableFuture;

/**
 * A wake-up for waiters: {@link #next()} returns a future that completes at the next
 * {@link #fire()}, which then starts a fresh one. Thread-safe.
 */
final class Signal {
    private CompletableFuture<Void> next = new CompletableFuture<>();

    /** Completes at the next {@link #fire()}. Take it before checking the condition waited for. */
    synchronized CompletableFuture<Void> next() {
        return next;
    }

    /** About how many waiters the current future has (metrics: waiting fetches). */
    synchronized int waiters() {
        return next.getNumberOfDependents();
    }

    /** Wakes everyone waiting on the current future. */
    void fire() {
        CompletableFuture<Void> fired;
        synchronized (this) {
            fired = next;
            next = new CompletableFuture<>();
        }
        fired.complete(null);
    }
}
