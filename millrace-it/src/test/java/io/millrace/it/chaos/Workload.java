package io.millrace.it.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos workload: two idempotent acks=all producers sending numbered values, each keyed by
 * its name, and a consumer group of two members reading concurrently through the whole run.
 * Started after the topic exists, stopped (drained) before the check.
 */
final class Workload implements AutoCloseable {
    static final String GROUP = "chaos-readers";

    private final AckTimeline timeline;
    private final List<ChaosProducer> producers = new ArrayList<>();
    private final List<GroupReader> readers = new ArrayList<>();

    Workload(String bootstrap, String topic, int partitions, int recordsPerSecondPerProducer) {
        timeline = new AckTimeline(partitions);
        for (String name : List.of("P1", "P2")) {
            producers.add(new ChaosProducer(name, bootstrap, topic, partitions, recordsPerSecondPerProducer, timeline)
                    .start());
        }
        for (int member = 1; member <= 2; member++) {
            readers.add(new GroupReader(member, bootstrap, topic, GROUP));
        }
    }

    AckTimeline timeline() {
        return timeline;
    }

    List<ChaosProducer> producers() {
        return producers;
    }

    List<GroupReader> readers() {
        return readers;
    }

    /** Stops the producers, waiting for every send to be answered, then the readers. */
    void stop(Duration drainTimeout) {
        producers.forEach(p -> p.stopAndDrain(drainTimeout));
        readers.forEach(GroupReader::close);
    }

    @Override
    public void close() {
        producers.forEach(ChaosProducer::close);
        readers.forEach(GroupReader::close);
    }
}
