package io.millrace.it.chaos;

/**
 * One kind of fault. {@link #inject} applies it and returns once it is removed again (the node
 * restarted, the process continued, the partition healed, the disk freed); the run then waits
 * for the cluster to heal. Implementations are stateless; the context carries the seeded random.
 */
interface Fault {
    /** A short name for the report: kill, leader-kill, pause, ... */
    String kind();

    /** Whether it can run against this target (the full disk needs a mountable tmpfs). */
    default boolean applies(ChaosContext context) {
        return true;
    }

    /** Injects the fault and removes it; returns what was done, for the log. */
    String inject(ChaosContext context) throws Exception;
}
