package io.millrace.bench;

import io.millrace.bench.broker.ProcStats;

/**
 * The broker's part of all the CPU the machine spent between {@link #start} and
 * {@link #brokerPercent}: on an otherwise quiet machine the rest is the client tool's (its JVM,
 * JIT and GC included), so the pair shows whether a run was bound by the broker or by the
 * client. Not thread-safe; one per measured run.
 */
final class CpuShare {
    private final long pid;
    private final double brokerBefore;
    private final double machineBefore;

    private CpuShare(long pid) {
        this.pid = pid;
        this.brokerBefore = ProcStats.cpuSeconds(pid);
        this.machineBefore = ProcStats.machineBusySeconds();
    }

    static CpuShare start(long brokerPid) {
        return new CpuShare(brokerPid);
    }

    /** The broker's CPU seconds since {@link #start} as a percentage of the machine's busy CPU seconds. */
    double brokerPercent() {
        double machine = ProcStats.machineBusySeconds() - machineBefore;
        double broker = ProcStats.cpuSeconds(pid) - brokerBefore;
        return machine <= 0 ? 0 : 100.0 * broker / machine;
    }
}
