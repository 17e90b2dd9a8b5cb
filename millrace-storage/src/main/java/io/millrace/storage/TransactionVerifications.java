package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTxnStateException;

/**
 * The verifications in progress on one partition (Kafka's verification state entries), by
 * producer id: the {@link VerificationGuard} an append must carry to begin that producer's
 * transaction here. Started before the leader asks the coordinator, ended by the producer's next
 * transactional batch or marker written (its transaction then began or ended), forgotten after
 * {@code producer.id.expiration.ms} when the write never came. Not part of the producer state
 * snapshots: a verification does not outlive the leader's memory (a new leader verifies again).
 *
 * <p>Not thread-safe: used under the log's append lock.
 */
final class TransactionVerifications {
    private record Entry(VerificationGuard guard, long startedMs) {
    }

    private final Map<Long, Entry> byProducer = new HashMap<>();

    /** The producer's current guard, a new one when no verification of it is in progress. */
    VerificationGuard start(long producerId, long nowMs) {
        return byProducer.computeIfAbsent(producerId, id -> new Entry(new VerificationGuard(), nowMs)).guard();
    }

    /** A transactional batch or marker of the producer was written: its verification is over. */
    void end(long producerId) {
        byProducer.remove(producerId);
    }

    /** Forgets verifications started {@code maxAgeMs} ago or earlier; returns how many. */
    int removeOlderThan(long nowMs, long maxAgeMs) {
        int before = byProducer.size();
        byProducer.values().removeIf(e -> nowMs - e.startedMs() >= maxAgeMs);
        return before - byProducer.size();
    }

    int size() {
        return byProducer.size();
    }

    /** Checks, for one append carrying {@code guard}, each batch that would begin a transaction. */
    Check check(ProducerStateTable table, VerificationGuard guard, TopicPartition partition) {
        return new Check(table, guard, partition);
    }

    /**
     * One append's check: a transactional data batch whose producer has no transaction open here
     * at its epoch (nor opened by an earlier batch of the same append) needs the producer's
     * current guard; otherwise {@link InvalidTxnStateException}, as Kafka answers.
     */
    final class Check {
        private final ProducerStateTable table;
        private final VerificationGuard guard;
        private final TopicPartition partition;
        private Set<Long> opened;

        private Check(ProducerStateTable table, VerificationGuard guard, TopicPartition partition) {
            this.table = table;
            this.guard = guard;
            this.partition = partition;
        }

        void check(RecordBatchHeader batch) {
            if (guard == VerificationGuard.UNCHECKED || !batch.isTransactional() || batch.isControl()
                    || !batch.hasProducerId()) {
                return;
            }
            long producerId = batch.producerId();
            ProducerEntry entry = table.get(producerId);
            boolean ongoing = entry != null && entry.epoch() == batch.producerEpoch()
                    && entry.ongoingTxnFirstOffset() != ProducerEntry.NO_TRANSACTION;
            if (ongoing || (opened != null && opened.contains(producerId))) {
                return;
            }
            Entry current = byProducer.get(producerId);
            if (guard == VerificationGuard.NONE || current == null || current.guard() != guard) {
                throw new InvalidTxnStateException("Record of producer " + producerId + " to " + partition
                        + " was not part of an ongoing transaction");
            }
            if (opened == null) {
                opened = new HashSet<>();
            }
            opened.add(producerId);
        }
    }
}
