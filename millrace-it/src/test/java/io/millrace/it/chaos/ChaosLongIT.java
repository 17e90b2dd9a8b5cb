package io.millrace.it.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, section 2, the long version: {@code -Dchaos.faults} (default 100) seeded random
 * faults against three Millrace nodes and, with {@code -Dchaos.kafka=true}, the same seed's
 * faults against three Apache Kafka 4.4 nodes afterwards, the figures side by side. Not in the
 * default suite: {@code mvn -Pchaos verify -pl millrace-it -am} or {@code ./millrace chaos}.
 * Asserts no loss, no duplicate, no reordering, nothing read then lost and a full ISR after
 * every fault (within 120 s) for Millrace; Kafka's run is a reference and only reported.
 */
@Timeout(value = 6, unit = TimeUnit.HOURS)
class ChaosLongIT {
    @TempDir
    Path tempDir;

    @Test
    void manyRandomFaultsLoseNothing() throws Exception {
        long seed = FaultSchedule.seedFromProperty();
        int faults = Integer.getInteger("chaos.faults", 100);
        boolean withKafka = Boolean.getBoolean("chaos.kafka");
        System.out.printf("ChaosLongIT: seed %d (replay with -Dchaos.seed=%d), %d faults, timings %s%s%n", seed, seed,
                faults, ChaosTimings.name(), withKafka ? ", then Apache Kafka" : "");
        List<Report> reports = new ArrayList<>();
        ChaosRun.Result millrace;
        try (Target target = new MillraceTarget("long-" + seed, tempDir.resolve("millrace"), 3, ChaosTimings.properties(), true)) {
            millrace = runAgainst(target, seed, faults);
        }
        reports.add(millrace.report());
        ChaosRun.Result kafka = null;
        if (withKafka) {
            Optional<Path> lib = KafkaTarget.kafkaLib();
            if (lib.isEmpty()) {
                System.out.println("ChaosLongIT: no Kafka jars (build millrace-bench with -Pbench, or set "
                        + "-Dchaos.kafka.lib): Kafka skipped");
            } else {
                try (Target target = new KafkaTarget("long-" + seed, lib.get(), tempDir.resolve("kafka"), 3, ChaosTimings.properties(),
                        true)) {
                    kafka = runAgainst(target, seed, faults);
                }
                reports.add(kafka.report());
            }
        }
        System.out.println("ChaosLongIT (seed " + seed + ", " + faults + " faults, timings " + ChaosTimings.name()
                + "):\n" + Report.sideBySide(reports));
        if (kafka != null && !kafka.passed()) {
            System.out.println("ChaosLongIT: Apache Kafka's run found: " + String.join("\n", kafka.problems()));
        }
        assertTrue(millrace.passed(), "seed " + seed + ": " + String.join("\n", millrace.problems()));
    }

    private static ChaosRun.Result runAgainst(Target target, long seed, int faults) throws Exception {
        FaultSchedule schedule = new FaultSchedule(seed);
        return ChaosRun.run(target, schedule, n -> schedule.draw(Faults.selected(), n), faults, 100);
    }
}
