package io.millrace.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @Test
    void ringKeepsTheNewestSamplesInOrder() {
        SeriesRing ring = new SeriesRing(3);
        for (int i = 1; i <= 5; i++) {
            ring.add(i * 1000L, i * 10L);
        }
        assertEquals(3, ring.size());
        assertEquals(3000, ring.time(0));
        assertEquals(50, ring.value(2));
    }

    @Test
    void ratesAreCounterDeltasPerSecondAndNeverNegative() {
        SeriesRing ring = new SeriesRing(10);
        ring.add(0, 0);
        ring.add(2000, 100);
        ring.add(4000, 100);
        ring.add(5000, 90);
        Rates.Points rates = Rates.perSecond(ring, 0);
        assertArrayEquals(new long[] {2000, 4000, 5000}, rates.times());
        assertArrayEquals(new double[] {50, 0, 0}, rates.values());
        assertEquals(1, Rates.perSecond(ring, 4000).times().length, "only samples since 4000 count");
    }

    @Test
    void throughputInOutAndLagFromObservations() {
        History history = new History(100);
        history.record(new Observation(0, Map.of(P0, 10L, P1, 0L), Map.of(P0, 1000L, P1, 0L),
                Map.of("billing", Map.of(P0, 5L))));
        history.record(new Observation(1000, Map.of(P0, 30L, P1, 10L), Map.of(P0, 3000L, P1, 500L),
                Map.of("billing", Map.of(P0, 25L, P1, 4L), "audit", Map.of(P0, 30L))));
        // retention shrank partition 0 on disk: no negative bytes
        history.record(new Observation(2000, Map.of(P0, 30L, P1, 10L), Map.of(P0, 100L, P1, 500L),
                Map.of("billing", Map.of(P0, 30L, P1, 10L), "audit", Map.of(P0, 30L))));

        History.TopicRates rates = history.throughput("orders", 0);
        assertArrayEquals(new double[] {30, 0}, rates.messagesIn().values());
        assertArrayEquals(new double[] {2500, 0}, rates.bytesIn().values());
        // billing's p0 grew 20 (p1 was first seen at 4: not counted); audit appeared: not counted; then 5 + 6
        assertArrayEquals(new double[] {20, 11}, rates.messagesOut().values());

        assertArrayEquals(new double[] {5, 11, 0}, history.lag("billing", 0).values());
        assertArrayEquals(new double[] {0, 0}, history.lag("audit", 0).values());
        assertArrayEquals(new double[] {5, 11, 0}, history.lagByTopic("billing", 0).get("orders").values());
        assertEquals(List.of("orders"), history.topics());
    }

    @Test
    void vanishedTopicsAndGroupsAreForgotten() {
        History history = new History(100);
        history.record(new Observation(0, Map.of(P0, 10L), Map.of(), Map.of("billing", Map.of(P0, 5L))));
        history.record(new Observation(1000, Map.of(), Map.of(), Map.of()));
        assertEquals(List.of(), history.topics());
        assertEquals(0, history.lag("billing", 0).times().length);
        assertEquals(Map.of(), history.lagByTopic("billing", 0));
        assertEquals(0, history.throughput("orders", 0).messagesIn().times().length);
    }
}
