package io.millrace.quorum;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.ratis.protocol.Message;

/**
 * The leader's memory of the controller commands it ran lately, by the request id the sending
 * node gave each: a command sent again (its reply was lost, the connection dropped, the Ratis
 * client retried) gets the first run's reply, or waits for it, instead of running twice. A run that
 * did not happen (answered NOT_CONTROLLER) is forgotten, so its retry runs.
 *
 * <p>Bounded to {@link #CAPACITY} ids, oldest first out; the memory is the leader's own, so a
 * retry that reaches a new leader runs there again. Thread-safe (gRPC threads).
 */
final class RecentCommandResults {
    static final int CAPACITY = 4096;

    private final Map<String, CompletableFuture<Message>> results;
    private final Predicate<Message> ran;

    /** @param ran whether a reply says the command ran (false: forget it, a retry must run it) */
    RecentCommandResults(int capacity, Predicate<Message> ran) {
        this.ran = ran;
        this.results = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Message>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The reply of the command with this id: the earlier run's, else {@code run}'s, run now. */
    CompletableFuture<Message> runOnce(String requestId, Function<String, CompletableFuture<Message>> run) {
        CompletableFuture<Message> mine = new CompletableFuture<>();
        CompletableFuture<Message> earlier;
        synchronized (results) {
            earlier = results.putIfAbsent(requestId, mine);
        }
        if (earlier != null) {
            return earlier;
        }
        CompletableFuture<Message> running;
        try {
            running = run.apply(requestId);
        } catch (RuntimeException e) {
            synchronized (results) {
                results.remove(requestId, mine);
            }
            throw e;
        }
        running.whenComplete((reply, error) -> {
            if (error != null || !ran.test(reply)) {
                synchronized (results) {
                    results.remove(requestId, mine);
                }
            }
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(reply);
            }
        });
        return mine;
    }

    int size() {
        synchronized (results) {
            return results.size();
        }
    }
}
