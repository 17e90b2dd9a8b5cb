package io.millrace.bench;

import java.util.List;

/**
 * The order in which the brokers under test take repeat {@code run} of a step: as given for odd runs,
 * reversed for even ones (Millrace, Kafka; Kafka, Millrace; ...), so the benchmark JVM's own warm-up
 * and the machine's drift touch every broker alike. Stateless.
 */
final class Alternation {
    private Alternation() {
    }

    static <T> List<T> inTurn(List<T> targets, int run) {
        return run % 2 == 1 ? targets : targets.reversed();
    }
}
