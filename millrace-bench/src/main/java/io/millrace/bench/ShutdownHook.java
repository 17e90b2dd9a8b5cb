package io.millrace.bench;

import io.millrace.bench.broker.BrokerProcess;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops the brokers this benchmark started if it is interrupted (Ctrl-C), so no broker outlives
 * it. Thread-safe: the hook runs on its own thread, {@code bench-shutdown}.
 */
final class ShutdownHook {
    private static final Set<BrokerProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(BrokerProcess::close), "bench-shutdown"));
    }

    private ShutdownHook() {
    }

    static BrokerProcess track(BrokerProcess broker) {
        RUNNING.add(broker);
        return broker;
    }

    static void untrack(BrokerProcess broker) {
        RUNNING.remove(broker);
    }
}
