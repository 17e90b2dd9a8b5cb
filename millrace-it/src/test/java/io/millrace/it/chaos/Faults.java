package io.millrace.it.chaos;

import java.util.List;
import java.util.Optional;

/** The fault kinds of issue 16: kills, pauses, a rolling restart, a network partition, a full disk. */
final class Faults {
    private Faults() {
    }

    /** Every kind with the long run's durations, in a fixed order (the schedule draws from it with the seeded random). */
    static List<Fault> all() {
        return all(FaultHolds.LONG);
    }

    /** Every kind, lasting as {@code holds} says, in the same fixed order. */
    static List<Fault> all(FaultHolds holds) {
        return List.of(new KillNode(holds), new KillLeader(holds), new PauseNode(holds), new KillTwoNodes(holds),
                new RollingRestart(), new IsolateNode(holds), new FillDisk(holds));
    }

    /**
     * The kinds named in {@code -Dchaos.kinds} (comma-separated, e.g. {@code pause,kill}), or
     * {@link #all()} when it is unset or empty; an unknown name fails, listing the known ones.
     */
    static List<Fault> selected() {
        String names = System.getProperty("chaos.kinds", "").trim();
        if (names.isEmpty()) {
            return all();
        }
        List<Fault> chosen = new java.util.ArrayList<>();
        for (String name : names.split(",")) {
            Fault fault = all().stream().filter(f -> f.kind().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("chaos.kinds: no fault kind '" + name.trim()
                            + "'; known: " + all().stream().map(Fault::kind).toList()));
            chosen.add(fault);
        }
        return List.copyOf(chosen);
    }

    /** kill -9 of one node, restarted 2-6 s later (long holds). */
    static final class KillNode implements Fault {
        private final FaultHolds holds;

        KillNode(FaultHolds holds) {
            this.holds = holds;
        }

        @Override
        public String kind() {
            return "kill";
        }

        @Override
        public String inject(ChaosContext c) throws Exception {
            int node = c.randomNode();
            long down = c.millisBetween(holds.killMin(), holds.killMax());
            c.target().kill9(node);
            ChaosContext.hold(down);
            c.target().start(List.of(node));
            return "kill -9 node " + node + ", restarted after " + down + " ms";
        }
    }

    /** kill -9 of the leader of a random partition, restarted 2-6 s later (long holds). */
    static final class KillLeader implements Fault {
        private final FaultHolds holds;

        KillLeader(FaultHolds holds) {
            this.holds = holds;
        }

        @Override
        public String kind() {
            return "leader-kill";
        }

        @Override
        public String inject(ChaosContext c) throws Exception {
            int node = c.leaderOfRandomPartition();
            long down = c.millisBetween(holds.killMin(), holds.killMax());
            c.target().kill9(node);
            ChaosContext.hold(down);
            c.target().start(List.of(node));
            return "kill -9 leader node " + node + ", restarted after " + down + " ms";
        }
    }

    /** SIGSTOP of one node for 5-15 s (long holds), then SIGCONT: a long GC pause. */
    static final class PauseNode implements Fault {
        private final FaultHolds holds;

        PauseNode(FaultHolds holds) {
            this.holds = holds;
        }

        @Override
        public String kind() {
            return "pause";
        }

        @Override
        public String inject(ChaosContext c) throws Exception {
            int node = c.randomNode();
            long paused = c.millisBetween(holds.pauseMin(), holds.pauseMax());
            long pid = c.target().pid(node);
            ChaosContext.signal(pid, "STOP");
            try {
                ChaosContext.hold(paused);
            } finally {
                ChaosContext.signal(pid, "CONT");
            }
            return "SIGSTOP node " + node + " for " + paused + " ms";
        }
    }

    /**
     * kill -9 of two of the three nodes: with min.insync.replicas=2 writes must fail (never be
     * acknowledged and lost); both restarted together 3-8 s later (long holds).
     */
    static final class KillTwoNodes implements Fault {
        private final FaultHolds holds;

        KillTwoNodes(FaultHolds holds) {
            this.holds = holds;
        }

        @Override
        public String kind() {
            return "two-node-kill";
        }

        @Override
        public String inject(ChaosContext c) throws Exception {
            List<Integer> nodes = c.randomNodes(2);
            long down = c.millisBetween(holds.twoNodeKillMin(), holds.twoNodeKillMax());
            for (int node : nodes) {
                c.target().kill9(node);
            }
            ChaosContext.hold(down);
            c.target().start(nodes);
            return "kill -9 nodes " + nodes + ", restarted after " + down + " ms";
        }
    }

    /** SIGTERM (controlled shutdown) and restart of every node in turn, each back in the ISR before the next. */
    static final class RollingRestart implements Fault {
        @Override
        public String kind() {
            return "rolling-restart";
        }

        @Override
        public String inject(ChaosContext c) throws Exception {
            for (int node : c.target().nodeIds()) {
                c.target().terminate(node);
                c.target().start(List.of(node));
                Healing.awaitFullIsr(c, Healing.HEAL_TIMEOUT);
            }
            return "rolling SIGTERM restart of " + c.target().nodeIds();
        }
    }

    /** One node cut off from the others (and from clients) by the proxies for 10 s (long holds). */
    static final class IsolateNode implements Fault {
        private final FaultHolds holds;

        IsolateNode(FaultHolds holds) {
            this.holds = holds;
        }

        @Override
        public String kind() {
            return "partition";
        }

        @Override
        public String inject(ChaosContext c) throws Exception {
            int node = c.randomNode();
            c.target().network().isolate(node, () -> c.target().pid(node));
            try {
                ChaosContext.hold(holds.partition());
            } finally {
                c.target().network().heal();
            }
            return "node " + node + " partitioned from the others for " + holds.partition() + " ms";
        }
    }

    /** The log directory of one node full for 10 s (long holds; a tmpfs filled up), then space returns. */
    static final class FillDisk implements Fault {
        private final FaultHolds holds;

        FillDisk(FaultHolds holds) {
            this.holds = holds;
        }

        @Override
        public String kind() {
            return "disk-full";
        }

        @Override
        public boolean applies(ChaosContext c) {
            return c.target().nodeIds().stream().allMatch(n -> c.target().logDisk(n).isPresent());
        }

        @Override
        public String inject(ChaosContext c) throws Exception {
            int node = c.randomNode();
            Optional<LogDisk> disk = c.target().logDisk(node);
            if (disk.isEmpty()) {
                return "no tmpfs log dir on node " + node + ": skipped";
            }
            long filled = disk.get().fill();
            try {
                ChaosContext.hold(holds.diskFull());
            } finally {
                disk.get().free();
            }
            String what = "log dir of node " + node + " full (" + filled / (1024 * 1024) + " MiB filler) for "
                    + holds.diskFull() + " ms";
            if (!c.target().isRunning(node)) {
                // Kafka shuts a broker down when its only log dir fails; an operator restarts it
                c.target().start(List.of(node));
                return what + "; the node had exited and was restarted";
            }
            return what;
        }
    }
}
