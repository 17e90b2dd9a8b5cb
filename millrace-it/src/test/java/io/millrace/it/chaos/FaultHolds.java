package io.millrace.it.chaos;

/**
 * How long each fault kind lasts, in ms (a kill: until the restart; a pause: until SIGCONT; a
 * partition or a full disk: until it is removed). {@link #LONG} is the long run's, drawn from wide
 * ranges; {@link #SHORT} is the default suite's, each still past the test timings' 2 s broker
 * session and replica lag (so a paused, partitioned or killed node is fenced and leaves the ISR)
 * but no longer than that needs. Immutable.
 */
record FaultHolds(long killMin, long killMax, long pauseMin, long pauseMax, long twoNodeKillMin, long twoNodeKillMax,
                  long partition, long diskFull) {
    /** ChaosLongIT's: kills of 2-6 s, pauses of 5-15 s, two-node kills of 3-8 s, 10 s partitions and full disks. */
    static final FaultHolds LONG = new FaultHolds(2_000, 6_000, 5_000, 15_000, 3_000, 8_000, 10_000, 10_000);
    /** ChaosIT's: kills of 1-3 s, pauses of 3-5 s, two-node kills of 2-4 s, 4 s partitions and full disks. */
    static final FaultHolds SHORT = new FaultHolds(1_000, 3_000, 3_000, 5_000, 2_000, 4_000, 4_000, 4_000);
}
