package io.millrace.it.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.it.BrokerProcess;
import java.nio.file.Path;
import java.util.List;
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
 * Each fault lasts only as long as it must to bite ({@link FaultHolds#SHORT}: past the 2 s broker
 * session and replica lag), and the nodes run C1 only, as the other cluster tests' nodes.
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
        List<Fault> faults = Faults.all(FaultHolds.SHORT);
        try (Target millrace = new MillraceTarget("short", tempDir.resolve("millrace"), 3, ChaosTimings.properties(), true,
                BrokerProcess.testJvmOptions())) {
            result = ChaosRun.run(millrace, schedule, n -> schedule.eachOnce(faults), faults.size(), 50);
        }
        System.out.println("ChaosIT (seed " + schedule.seed() + "):\n" + result.report().table());
        assertTrue(result.passed(), "seed " + schedule.seed() + ": " + String.join("\n", result.problems()));
        assertTrue(result.summary().acked() > 0, "nothing was acknowledged");
    }
}
