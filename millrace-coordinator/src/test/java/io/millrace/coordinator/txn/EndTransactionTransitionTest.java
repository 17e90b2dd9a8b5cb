package io.millrace.coordinator.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** EndTxn for transaction versions 1 (v0–4) and 2 (v5+, KIP-890 part 2), row by row. */
class EndTransactionTransitionTest {
    private static final TopicPartition A = new TopicPartition("orders", 0);
    private final TxnShardHarness h = new TxnShardHarness();

    private Transition ongoing() {
        Transition p = h.init("tx");
        h.add("tx", p.producerId(), p.producerEpoch(), A);
        return p;
    }

    @Test
    void v1CommitPreparesThenMarkersCompleteIt() {
        Transition p = ongoing();
        Transition end = h.end("tx", p.producerId(), p.producerEpoch(), true, false);
        assertEquals(Errors.NONE, end.error());
        assertEquals(TransactionStatus.PREPARE_COMMIT, h.get("tx").status());
        assertEquals(1, h.markers.size());
        assertTrue(h.markers.get(0).commit());
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, h.end("tx", p.producerId(), p.producerEpoch(), true, false).error());
        assertEquals(Errors.INVALID_TXN_STATE, h.end("tx", p.producerId(), p.producerEpoch(), false, false).error());
        h.completeMarkers();
        TransactionMetadata done = h.get("tx");
        assertEquals(TransactionStatus.COMPLETE_COMMIT, done.status());
        assertEquals(Set.of(), done.partitions());
        assertEquals(p.producerEpoch(), done.producerEpoch());
        assertEquals(Errors.NONE, h.end("tx", p.producerId(), p.producerEpoch(), true, false).error());
        assertEquals(Errors.INVALID_TXN_STATE, h.end("tx", p.producerId(), p.producerEpoch(), false, false).error());
    }

    @Test
    void v1AbortAndItsRetry() {
        Transition p = ongoing();
        h.end("tx", p.producerId(), p.producerEpoch(), false, false);
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, h.end("tx", p.producerId(), p.producerEpoch(), false, false).error());
        h.completeMarkers();
        assertEquals(TransactionStatus.COMPLETE_ABORT, h.get("tx").status());
        assertEquals(Errors.NONE, h.end("tx", p.producerId(), p.producerEpoch(), false, false).error());
        assertEquals(Errors.INVALID_TXN_STATE, h.end("tx", p.producerId(), p.producerEpoch(), true, false).error());
    }

    @Test
    void v1ChecksEpochProducerAndEmpty() {
        Transition p = h.init("tx");
        assertEquals(Errors.INVALID_TXN_STATE, h.end("tx", p.producerId(), p.producerEpoch(), true, false).error());
        assertEquals(Errors.INVALID_TXN_STATE, h.end("tx", p.producerId(), p.producerEpoch(), false, false).error());
        assertEquals(Errors.PRODUCER_FENCED, h.end("tx", p.producerId(), (short) 4, false, false).error());
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, h.end("tx", 1, p.producerEpoch(), false, false).error());
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, h.end("none", 1, (short) 0, false, false).error());
    }

    @Test
    void v2BumpsTheEpochAtEveryEndAndAnswersRetries() {
        Transition p = ongoing();
        Transition end = h.end("tx", p.producerId(), p.producerEpoch(), true, true);
        assertEquals(Errors.NONE, end.error());
        assertEquals(p.producerId(), end.producerId());
        assertEquals(p.producerEpoch() + 1, end.producerEpoch());
        assertEquals(p.producerEpoch() + 1, h.markers.get(0).producerEpoch());
        // The retry while markers are written, with the epoch before the bump.
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, h.end("tx", p.producerId(), p.producerEpoch(), true, true).error());
        h.completeMarkers();
        Transition retry = h.end("tx", p.producerId(), p.producerEpoch(), true, true);
        assertEquals(Errors.NONE, retry.error());
        assertEquals(end.producerEpoch(), retry.producerEpoch());
        // The new epoch ends nothing with a commit; an older one is fenced.
        assertEquals(Errors.INVALID_TXN_STATE, h.end("tx", p.producerId(), end.producerEpoch(), true, true).error());
        assertEquals(Errors.PRODUCER_FENCED, h.end("tx", p.producerId(), (short) (p.producerEpoch() - 1), true, true).error());
    }

    @Test
    void v2AbortWithoutATransactionBumpsWithoutMarkers() {
        Transition p = h.init("tx");
        Transition abort = h.end("tx", p.producerId(), p.producerEpoch(), false, true);
        assertEquals(Errors.NONE, abort.error());
        assertEquals(p.producerEpoch() + 1, abort.producerEpoch());
        assertEquals(TransactionStatus.COMPLETE_ABORT, h.get("tx").status());
        assertTrue(h.markers.isEmpty());
        Transition again = h.end("tx", p.producerId(), abort.producerEpoch(), false, true);
        assertEquals(abort.producerEpoch() + 1, again.producerEpoch());
    }

    @Test
    void v2ExhaustedEpochMovesToTheNextProducerIdAtCompletion() {
        Transition p = ongoing();
        h.setEpoch("tx", (short) (Short.MAX_VALUE - 1));
        Transition end = h.end("tx", p.producerId(), (short) (Short.MAX_VALUE - 1), true, true);
        assertEquals(Errors.NONE, end.error());
        assertEquals(5001, end.producerId());
        assertEquals(0, end.producerEpoch());
        assertEquals(p.producerId(), h.markers.get(0).producerId());
        assertEquals(Short.MAX_VALUE, h.markers.get(0).producerEpoch());
        h.completeMarkers();
        TransactionMetadata done = h.get("tx");
        assertEquals(5001, done.producerId());
        assertEquals(0, done.producerEpoch());
        assertEquals(p.producerId(), done.previousProducerId());
        // A retry with the old id and epoch still answers the new ones.
        Transition retry = h.end("tx", p.producerId(), (short) (Short.MAX_VALUE - 1), true, true);
        assertEquals(Errors.NONE, retry.error());
        assertEquals(5001, retry.producerId());
        assertEquals(0, retry.producerEpoch());
    }
}
