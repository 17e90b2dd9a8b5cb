package io.millrace.coordinator.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Time-outs, expiry, completion and what a restart finishes. */
class TransactionLifecycleTest {
    private static final TopicPartition A = new TopicPartition("orders", 0);
    private final TxnShardHarness h = new TxnShardHarness();

    @Test
    void anOngoingTransactionPastItsTimeoutIsAbortedAndItsProducerFenced() {
        Transition p = h.init("tx");
        h.add("tx", p.producerId(), p.producerEpoch(), A);
        h.advance(59_000);
        assertEquals(TransactionStatus.ONGOING, h.get("tx").status());
        h.advance(10_000);
        TransactionMetadata aborting = h.get("tx");
        assertEquals(TransactionStatus.PREPARE_ABORT, aborting.status());
        assertEquals(p.producerEpoch() + 1, aborting.producerEpoch());
        assertEquals(Set.of(A), h.markers.get(0).partitions());
        h.completeMarkers();
        assertEquals(TransactionStatus.COMPLETE_ABORT, h.get("tx").status());
        assertEquals(Errors.PRODUCER_FENCED, h.end("tx", p.producerId(), p.producerEpoch(), true, false).error());
    }

    @Test
    void idleIdsExpireWithATombstoneAndOngoingOnesDoNot() {
        h.init("idle");
        Transition busy = h.init("busy");
        h.advance(604_800_000L - 3_600_000L);
        h.add("busy", busy.producerId(), busy.producerEpoch(), A); // keeps it ongoing (the time-out aborts it later)
        h.advance(3_600_000L);
        assertNull(h.get("idle"));
        assertTrue(h.log.stream().anyMatch(r -> r.isTombstone()));
        assertFalse(h.get("busy").status().isIdle()); // timed out and aborting, but not expired
        h.reload();
        assertNull(h.get("idle"));
    }

    @Test
    void completionOfAnOutdatedMarkerSetWritesNothing() {
        Transition p = h.init("tx");
        h.add("tx", p.producerId(), p.producerEpoch(), A);
        h.end("tx", p.producerId(), p.producerEpoch(), true, false);
        TransactionMarkers markers = h.markers.get(0);
        h.completeMarkers();
        int records = h.log.size();
        Boolean completed = h.write(s -> s.complete(markers));
        assertFalse(completed);
        assertEquals(records, h.log.size());
    }

    @Test
    void aRestartFinishesAPreparedCommit() {
        Transition p = h.init("tx");
        h.add("tx", p.producerId(), p.producerEpoch(), A);
        h.end("tx", p.producerId(), p.producerEpoch(), true, false);
        h.markers.clear(); // this coordinator dies before the markers are written
        h.reload();
        assertEquals(TransactionStatus.PREPARE_COMMIT, h.get("tx").status());
        assertEquals(1, h.markers.size());
        assertTrue(h.markers.get(0).commit());
        assertEquals(Set.of(A), h.markers.get(0).partitions());
        h.completeMarkers();
        assertEquals(TransactionStatus.COMPLETE_COMMIT, h.get("tx").status());
        h.reload();
        assertEquals(TransactionStatus.COMPLETE_COMMIT, h.get("tx").status());
        assertTrue(h.markers.isEmpty());
    }
}
