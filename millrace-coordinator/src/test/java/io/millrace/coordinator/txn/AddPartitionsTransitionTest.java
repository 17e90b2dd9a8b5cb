package io.millrace.coordinator.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** AddPartitionsToTxn (and AddOffsetsToTxn, which adds one partition) and the KIP-890 verify-only check. */
class AddPartitionsTransitionTest {
    private static final TopicPartition A = new TopicPartition("orders", 0);
    private static final TopicPartition B = new TopicPartition("orders", 1);
    private final TxnShardHarness h = new TxnShardHarness();

    @Test
    void unknownIdOrOtherProducerIdIsInvalidMappingAndOtherEpochIsFenced() {
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, h.add("nobody", 1, (short) 0, A).error());
        Transition p = h.init("tx");
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, h.add("tx", p.producerId() + 1, p.producerEpoch(), A).error());
        assertEquals(Errors.PRODUCER_FENCED, h.add("tx", p.producerId(), (short) 5, A).error());
    }

    @Test
    void theFirstPartitionStartsTheTransactionAndKnownOnesWriteNothing() {
        Transition p = h.init("tx");
        h.advance(10);
        assertEquals(Errors.NONE, h.add("tx", p.producerId(), p.producerEpoch(), A).error());
        TransactionMetadata ongoing = h.get("tx");
        assertEquals(TransactionStatus.ONGOING, ongoing.status());
        assertEquals(h.now.get(), ongoing.startTimestamp());
        int records = h.log.size();
        assertEquals(Errors.NONE, h.add("tx", p.producerId(), p.producerEpoch(), A).error());
        assertEquals(records, h.log.size());
        h.advance(10);
        h.add("tx", p.producerId(), p.producerEpoch(), B);
        assertEquals(Set.of(A, B), h.get("tx").partitions());
        assertEquals(ongoing.startTimestamp(), h.get("tx").startTimestamp());
    }

    @Test
    void whileMarkersAreWrittenAddingIsConcurrent() {
        Transition p = h.init("tx");
        h.add("tx", p.producerId(), p.producerEpoch(), A);
        h.end("tx", p.producerId(), p.producerEpoch(), false, false);
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, h.add("tx", p.producerId(), p.producerEpoch(), B).error());
        h.completeMarkers();
        assertEquals(Errors.NONE, h.add("tx", p.producerId(), p.producerEpoch(), B).error());
        assertEquals(Set.of(B), h.get("tx").partitions());
    }

    @Test
    void verifyOnlyAnswersWithoutAdding() {
        Transition p = h.init("tx");
        h.add("tx", p.producerId(), p.producerEpoch(), A);
        int records = h.log.size();
        Map<TopicPartition, Errors> answer = h.shard.verifyPartitions("tx", p.producerId(), p.producerEpoch(), Set.of(A, B));
        assertEquals(Map.of(A, Errors.NONE, B, Errors.TRANSACTION_ABORTABLE), answer);
        assertEquals(Map.of(A, Errors.PRODUCER_FENCED),
                h.shard.verifyPartitions("tx", p.producerId(), (short) 9, Set.of(A)));
        assertEquals(Map.of(A, Errors.INVALID_PRODUCER_ID_MAPPING), h.shard.verifyPartitions("x", 1, (short) 0, Set.of(A)));
        assertEquals(records, h.log.size());
        assertEquals(Set.of(A), h.get("tx").partitions());
    }
}
