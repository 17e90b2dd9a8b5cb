package io.millrace.it.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, section 2, the short version in the default suite: three Millrace nodes as separate
 * processes, the chaos workload, and each fault kind once in a seeded order (kill -9, leader
 * kill, SIGSTOP pause, two-node kill, rolling restart, network partition, full disk when a tmpfs
 * can be mounted). Asserts no loss, no duplicate, no reordering, nothing read then lost, and a
 * full ISR after every fault; prints the figures. Replay with {@code -Dchaos.seed=<printed seed>}.
 * The long version is {@link ChaosLongIT} ({@code -Pchaos} or {@code ./millrace chaos}).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ChaosIT {
    @TempDir
    Path tempDir;

    @Test
    void everyAcknowledgedValueSurvivesEachFaultKind() throws Exception {
        FaultSchedule schedule = new FaultSchedule(FaultSchedule.seedFromProperty());
        System.out.println("ChaosIT: seed " + schedule.seed() + " (replay with -Dchaos.seed=" + schedule.seed() + ")");
        ChaosRun.Result result;
        try (Target millrace = new MillraceTarget("short", tempDir.resolve("millrace"), 3, ChaosTimings.properties(), true)) {
            result = ChaosRun.run(millrace, schedule, n -> schedule.eachOnce(Faults.all()), Faults.all().size(), 50);
        }
        System.out.println("ChaosIT (seed " + schedule.seed() + "):\n" + result.report().table());
        assertTrue(result.passed(), "seed " + schedule.seed() + ": " + String.join("\n", result.problems()));
        assertTrue(result.summary().acked() > 0, "nothing was acknowledged");
    }
}
