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
 * {@code producer.id.expiration.ms} when the write never came. One exception, as Kafka 4.x: at
 * transaction version 2 the previous transaction's marker carries the epoch the next transaction
 * already uses (the coordinator bumps it at EndTxn), so a marker at the verification's own epoch
 * ends the previous transaction, not the one being verified, and leaves the verification alone. Not part of the producer state
 * snapshots: a verification does not outlive the leader's memory (a new leader verifies again).
 *
 * <p>Not thread-safe: used under the log's append lock.
 */
final class TransactionVerifications {
    private record Entry(VerificationGuard guard, long startedMs, short epoch, boolean epochBumps) {
    }

    private final Map<Long, Entry> byProducer = new HashMap<>();

    /**
     * The producer's current guard, a new one when no verification of it is in progress; the
     * verification takes the newest epoch asked with.
     *
     * @param epochBumps whether the write is at transaction version 2 (the epoch is bumped at every transaction)
     */
    VerificationGuard start(long producerId, short epoch, boolean epochBumps, long nowMs) {
        Entry entry = byProducer.get(producerId);
        if (entry == null) {
            entry = new Entry(new VerificationGuard(), nowMs, epoch, epochBumps);
        } else if (epoch > entry.epoch()) {
            entry = new Entry(entry.guard(), entry.startedMs(), epoch, epochBumps);
        }
        byProducer.put(producerId, entry);
        return entry.guard();
    }

    /** A transactional batch or marker ({@code batch}) of its producer was written: its verification is over. */
    void end(RecordBatchHeader batch) {
        Entry entry = byProducer.get(batch.producerId());
        if (entry == null) {
            return;
        }
        boolean previousTransactionsMarker = entry.epochBumps() && batch.isControl()
                && batch.producerEpoch() == entry.epoch();
        if (!previousTransactionsMarker) {
            byProducer.remove(batch.producerId());
        }
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
