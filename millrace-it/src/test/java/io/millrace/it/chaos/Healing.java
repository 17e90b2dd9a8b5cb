package io.millrace.it.chaos;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.TopicPartitionInfo;

/** Waits for the cluster to heal after a fault, polling with a deadline. */
final class Healing {
    /** Generous on purpose: the test asserts that the cluster heals without an operator, not how fast. */
    static final Duration HEAL_TIMEOUT = Duration.ofSeconds(120);

    private Healing() {
    }

    /** Waits until every partition has a leader and all its replicas in the ISR; fails after {@code timeout}. */
    static void awaitFullIsr(ChaosContext c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not asked yet";
        while (System.nanoTime() - deadline < 0) {
            try {
                List<TopicPartitionInfo> partitions = c.partitions();
                if (partitions.stream().allMatch(Healing::healthy)) {
                    return;
                }
                last = partitions.toString();
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The topic did not get back to a full ISR within " + timeout.toSeconds()
                + " s without operator action; last seen: " + last);
    }

    /** Waits until every partition has acknowledgements after {@code sinceNanos}; fails after {@code timeout}. */
    static void awaitAcks(AckTimeline timeline, int partitions, long sinceNanos, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            boolean all = true;
            for (int p = 0; p < partitions; p++) {
                all &= timeline.countSince(p, sinceNanos) > 0;
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Some partition got no acknowledgement within " + timeout.toSeconds()
                + " s after the cluster healed");
    }

    private static boolean healthy(TopicPartitionInfo p) {
        return p.leader() != null && !p.leader().isEmpty() && p.isr().size() == p.replicas().size();
    }
}
