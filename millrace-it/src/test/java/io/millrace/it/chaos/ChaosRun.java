package io.millrace.it.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * One chaos run against one {@link Target}: creates the topic (3 partitions, replication factor
 * 3, min.insync.replicas=2), starts the {@link Workload}, injects each fault of the schedule in
 * turn — after each one waiting for a full ISR and for acknowledgements on every partition again
 * — then drains the workload and {@link Checker checks} the logs. Figures go to a {@link Report}.
 */
final class ChaosRun {
    static final String TOPIC = "chaos";
    static final int PARTITIONS = 3;
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(60);

    /** What a run found: figures, the checker's summary, and everything that went wrong. */
    record Result(Report report, Checker.Summary summary, List<String> problems, Map<String, Integer> sendFailures) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    private ChaosRun() {
    }

    /**
     * Runs {@code faultsFor(target)} against the target with the schedule's seeded random;
     * {@code recordsPerSecond} is each producer's rate.
     */
    static Result run(Target target, FaultSchedule schedule, IntFunction<List<Fault>> faults, int faultCount,
                      int recordsPerSecond) throws Exception {
        String name = target.name();
        Report report = new Report(name);
        List<String> problems = new ArrayList<>();
        try (Admin admin = admin(target.bootstrapServers())) {
            ChaosContext context = new ChaosContext(target, admin, TOPIC, schedule.random());
            createTopic(admin);
            Healing.awaitFullIsr(context, Healing.HEAL_TIMEOUT);
            List<Fault> chosen = faults.apply(faultCount);
            Checker.Summary summary;
            Map<String, Integer> sendFailures = new java.util.TreeMap<>();
            try (Workload workload = new Workload(target.bootstrapServers(), TOPIC, PARTITIONS, recordsPerSecond)) {
                Healing.awaitAcks(workload.timeline(), PARTITIONS, System.nanoTime(), PROGRESS_TIMEOUT);
                int index = 0;
                for (Fault fault : chosen) {
                    index++;
                    if (!fault.applies(context)) {
                        System.out.printf("chaos[%s] fault %d/%d %s: not possible here, skipped%n", name, index,
                                chosen.size(), fault.kind());
                        continue;
                    }
                    try {
                        report.add(inject(name, index, chosen.size(), fault, context, workload.timeline()));
                    } catch (AssertionError | Exception e) {
                        problems.add("fault " + index + " (" + fault.kind() + "): " + e.getMessage());
                        System.out.printf("chaos[%s] fault %d/%d %s FAILED: %s%n", name, index, chosen.size(),
                                fault.kind(), e.getMessage());
                        break;
                    }
                }
                workload.stop(Duration.ofSeconds(60));
                for (ChaosProducer producer : workload.producers()) {
                    producer.failures().forEach((k, v) -> sendFailures.merge(k, v, Integer::sum));
                }
                summary = Checker.check(target.bootstrapServers(), TOPIC, PARTITIONS, workload.producers(),
                        workload.readers());
            }
            problems.addAll(summary.violations());
            System.out.printf("chaos[%s] checked: %d records in the log, %d acknowledged, %d written without an "
                            + "acknowledgement, %d read by the group; failed sends %s; %d violations%n", name,
                    summary.records(), summary.acked(), summary.unackedWritten(), summary.readByGroup(), sendFailures,
                    summary.violations().size());
            summary.violations().forEach(v -> System.out.println("chaos[" + name + "]   " + v));
            return new Result(report, summary, problems, sendFailures);
        }
    }

    private static Report.Sample inject(String name, int index, int total, Fault fault, ChaosContext context,
                                        AckTimeline timeline) throws Exception {
        long start = System.nanoTime();
        java.time.LocalTime startedAt = java.time.LocalTime.now(java.time.ZoneOffset.UTC); // to find it in the node logs
        String what = fault.inject(context);
        long removed = System.nanoTime();
        Healing.awaitFullIsr(context, Healing.HEAL_TIMEOUT);
        long healed = System.nanoTime();
        Healing.awaitAcks(timeline, PARTITIONS, healed, PROGRESS_TIMEOUT);
        long progressed = System.nanoTime();
        long gap = timeline.longestGapMillis(start, progressed);
        long heal = TimeUnit.NANOSECONDS.toMillis(healed - removed);
        System.out.printf("chaos[%s] fault %d/%d %s at %s UTC: %s; full ISR %d ms after; longest no-ack gap %d ms%n",
                name, index, total, fault.kind(), startedAt, what, heal, gap);
        return new Report.Sample(fault.kind(), gap, heal);
    }

    private static void createTopic(Admin admin) throws Exception {
        NewTopic topic = new NewTopic(TOPIC, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(500); // the controller may not be ready yet: ask again
            }
        }
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(props);
    }
}
