package io.millrace.it.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a run, drawn from a seeded {@link Random}: the same seed gives the same faults,
 * nodes and durations. The seed comes from {@code -Dchaos.seed} (else the clock) and is printed
 * at the start so a failing run can be replayed.
 */
final class FaultSchedule {
    private final long seed;
    private final Random random;

    FaultSchedule(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** The seed from {@code -Dchaos.seed}, or a new one. */
    static long seedFromProperty() {
        String value = System.getProperty("chaos.seed", "");
        return value.isBlank() ? System.currentTimeMillis() : Long.parseLong(value.trim());
    }

    long seed() {
        return seed;
    }

    Random random() {
        return random;
    }

    /** Every applicable kind once, in a seeded order (the short version). */
    List<Fault> eachOnce(List<Fault> kinds) {
        List<Fault> order = new ArrayList<>(kinds);
        Collections.shuffle(order, random);
        return order;
    }

    /** {@code count} faults drawn uniformly from {@code kinds} (the long version). */
    List<Fault> draw(List<Fault> kinds, int count) {
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            faults.add(kinds.get(random.nextInt(kinds.size())));
        }
        return faults;
    }
}
