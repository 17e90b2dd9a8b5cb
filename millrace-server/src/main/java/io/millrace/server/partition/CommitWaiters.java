package io.millrace.server.partition;

import java.util.Comparator;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * acks=all appends waiting for the high watermark to pass their last offset. Each waiter is a
 * future completed with the error to answer (NONE when committed). A waiter leaves the set when
 * its future completes, however that happens (commit, time-out, leadership lost). Thread-safe.
 */
final class CommitWaiters {
    private record Waiter(long requiredOffset, long seq, CompletableFuture<Errors> future) {
    }

    private final AtomicLong seq = new AtomicLong();
    private final ConcurrentSkipListSet<Waiter> waiting = new ConcurrentSkipListSet<>(
            Comparator.comparingLong(Waiter::requiredOffset).thenComparingLong(Waiter::seq));

    /** A future completed once the high watermark reaches {@code requiredOffset}. */
    CompletableFuture<Errors> register(long requiredOffset) {
        Waiter waiter = new Waiter(requiredOffset, seq.incrementAndGet(), new CompletableFuture<>());
        waiting.add(waiter);
        waiter.future().whenComplete((error, failure) -> waiting.remove(waiter));
        return waiter.future();
    }

    /** Completes the waiters whose required offset is at or below {@code highWatermark}. */
    void completeUpTo(long highWatermark, Supplier<Errors> outcome) {
        Waiter first;
        while ((first = firstWaiter()) != null && first.requiredOffset() <= highWatermark) {
            if (waiting.remove(first)) {
                first.future().complete(outcome.get());
            }
        }
    }

    /** Completes every waiter with {@code error}. */
    void failAll(Errors error) {
        Waiter first;
        while ((first = waiting.pollFirst()) != null) {
            first.future().complete(error);
        }
    }

    int size() {
        return waiting.size();
    }

    /** The first waiter, or null: through the iterator, as {@code first()} throws on an empty set (an exception per append). */
    private Waiter firstWaiter() {
        Iterator<Waiter> first = waiting.iterator();
        return first.hasNext() ? first.next() : null;
    }
}
