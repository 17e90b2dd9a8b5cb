package io.millrace.coordinator.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** InitProducerId with a transactional id, row by row as Kafka answers. */
class InitProducerIdTransitionTest {
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private final TxnShardHarness h = new TxnShardHarness();

    @Test
    void aTimeoutOfZeroOrAboveTheMaximumIsInvalid() {
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT, h.write(s -> s.initProducerId("tx", 0, -1, (short) -1,
                OptionalLong.of(1))).error());
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT, h.write(s -> s.initProducerId("tx", 900_001, -1, (short) -1,
                OptionalLong.of(1))).error());
        assertTrue(h.log.isEmpty());
    }

    @Test
    void anUnknownIdGetsANewProducerIdAtEpochZero() {
        Transition t = h.init("tx");
        assertEquals(Errors.NONE, t.error());
        assertEquals(5000, t.producerId());
        assertEquals(0, t.producerEpoch());
        assertEquals(TransactionStatus.EMPTY, h.get("tx").status());
        assertEquals(1, h.log.size());
    }

    @Test
    void anIdleIdIsBumpedAndKeepsItsProducerId() {
        h.init("tx");
        Transition again = h.init("tx");
        assertEquals(5000, again.producerId());
        assertEquals(1, again.producerEpoch());
        assertEquals(-1, h.get("tx").lastProducerEpoch());
    }

    @Test
    void anExhaustedEpochRotatesToANewProducerId() {
        h.init("tx");
        h.setEpoch("tx", (short) (Short.MAX_VALUE - 1));
        Transition rotated = h.init("tx");
        assertEquals(5001, rotated.producerId());
        assertEquals(0, rotated.producerEpoch());
        assertEquals(5000, h.get("tx").previousProducerId());
    }

    @Test
    void kip360TheExpectedProducerMustBeTheCurrentOne() {
        Transition first = h.init("tx");
        assertEquals(Errors.PRODUCER_FENCED, h.init("tx", 999, (short) 0).error());
        Transition bumped = h.init("tx", first.producerId(), first.producerEpoch());
        assertEquals(1, bumped.producerEpoch());
        assertEquals(0, h.get("tx").lastProducerEpoch());
        // The answer was lost; the same request again gets the same id and epoch.
        Transition retry = h.init("tx", first.producerId(), first.producerEpoch());
        assertEquals(Errors.NONE, retry.error());
        assertEquals(first.producerId(), retry.producerId());
        assertEquals(1, retry.producerEpoch());
        // An epoch that is neither current nor last is fenced.
        assertEquals(Errors.PRODUCER_FENCED, h.init("tx", first.producerId(), (short) 7).error());
        assertEquals(Errors.INVALID_REQUEST, h.init("tx", first.producerId(), (short) -1).error());
    }

    @Test
    void anOngoingTransactionIsFencedAndAbortedAndTheClientRetries() {
        Transition first = h.init("tx");
        h.add("tx", first.producerId(), first.producerEpoch(), ORDERS_0);
        Transition fence = h.init("tx");
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, fence.error());
        TransactionMetadata aborting = h.get("tx");
        assertEquals(TransactionStatus.PREPARE_ABORT, aborting.status());
        assertEquals(1, aborting.producerEpoch());
        assertEquals(1, h.markers.size());
        TransactionMarkers markers = h.markers.get(0);
        assertFalse(markers.commit());
        assertEquals(1, markers.producerEpoch());
        assertEquals(Set.of(ORDERS_0), markers.partitions());
        // While the markers are written, the new producer keeps hearing CONCURRENT_TRANSACTIONS.
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, h.init("tx").error());
        // The old producer is fenced.
        assertEquals(Errors.PRODUCER_FENCED, h.add("tx", first.producerId(), first.producerEpoch(), ORDERS_0).error());
        h.completeMarkers();
        assertEquals(TransactionStatus.COMPLETE_ABORT, h.get("tx").status());
        Transition retried = h.init("tx");
        assertEquals(Errors.NONE, retried.error());
        assertEquals(2, retried.producerEpoch());
    }

    @Test
    void whileMarkersAreWrittenInitProducerIdAnswersConcurrentTransactions() {
        Transition first = h.init("tx");
        h.add("tx", first.producerId(), first.producerEpoch(), ORDERS_0);
        h.end("tx", first.producerId(), first.producerEpoch(), true, false);
        assertEquals(TransactionStatus.PREPARE_COMMIT, h.get("tx").status());
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, h.init("tx").error());
    }
}
