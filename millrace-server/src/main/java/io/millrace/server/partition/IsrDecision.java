package io.millrace.server.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Decides whether a leader should change a partition's ISR (pure: no clock, no I/O).
 *
 * <ul>
 *   <li>Shrink: a follower in the ISR leaves it when it is behind the leader's log end offset and
 *       was last caught up more than {@code replica.lag.time.max.ms} ago.</li>
 *   <li>Expand (only when nothing shrinks): a replica outside the ISR, eligible (an active broker),
 *       whose log end offset reached both the high watermark and the start of the current leader
 *       epoch joins it.</li>
 * </ul>
 * Nothing is proposed while another change is in flight.
 */
final class IsrDecision {

    /** A proposed ISR and why, as logged once: "Shrinking ISR of t-0 from [1,2,3] to [1,3]: ...". */
    record Proposal(List<Integer> currentIsr, List<Integer> newIsr, boolean shrink, String reason) {
        String describe(Object topicPartition) {
            return (shrink ? "Shrinking" : "Expanding") + " ISR of " + topicPartition + " from " + compact(currentIsr)
                    + " to " + compact(newIsr) + ": " + reason;
        }

        private static String compact(List<Integer> ids) {
            return ids.toString().replace(" ", "");
        }
    }

    private IsrDecision() {
    }

    static Optional<Proposal> decide(LeaderView view, int leaderId, long nowMs, long replicaLagTimeMaxMs,
                                     IntPredicate eligible) {
        if (view == null || view.isrChangeInFlight()) {
            return Optional.empty();
        }
        List<Integer> isr = view.state().isr();
        List<Integer> kept = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int id : isr) {
            if (id == leaderId) {
                kept.add(id);
                continue;
            }
            ReplicaProgress.FollowerState follower = view.followers().get(id);
            long leo = follower == null ? ReplicaProgress.UNKNOWN : follower.logEndOffset();
            long lastCaughtUp = follower == null ? 0L : follower.lastCaughtUpTimeMs();
            long behindMs = nowMs - lastCaughtUp;
            if (leo != view.leaderLogEndOffset() && behindMs > replicaLagTimeMaxMs) {
                reasons.add("broker " + id + " has not caught up for " + behindMs + " ms");
            } else {
                kept.add(id);
            }
        }
        if (!kept.contains(leaderId)) {
            kept.add(0, leaderId);
        }
        if (!reasons.isEmpty()) {
            return Optional.of(new Proposal(isr, List.copyOf(kept), true, String.join(", ", reasons)));
        }
        List<Integer> expanded = new ArrayList<>(isr);
        for (int id : view.state().replicas()) {
            if (id == leaderId || isr.contains(id) || !eligible.test(id)) {
                continue;
            }
            ReplicaProgress.FollowerState follower = view.followers().get(id);
            if (follower == null || follower.logEndOffset() == ReplicaProgress.UNKNOWN) {
                continue;
            }
            if (follower.logEndOffset() >= view.highWatermark()
                    && follower.logEndOffset() >= view.leaderEpochStartOffset()) {
                expanded.add(id);
                reasons.add("broker " + id + " caught up to offset " + follower.logEndOffset() + " (high watermark "
                        + view.highWatermark() + ")");
            }
        }
        if (!reasons.isEmpty()) {
            return Optional.of(new Proposal(isr, List.copyOf(expanded), false, String.join(", ", reasons)));
        }
        return Optional.empty();
    }
}
