package io.millrace.server.handlers;

import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.txn.TransactionVerifier;
import io.millrace.server.txn.VerificationErrors;
import io.millrace.server.txn.VerificationMode;
import io.millrace.storage.VerificationGuard;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The partitions of one Produce request whose transactional batch would begin its producer's
 * transaction there (no transaction of that producer and epoch open on the partition), which
 * must be checked with the transaction coordinator before they are appended (KIP-890). The first
 * batch's header is read in place; a request may carry one producer's batches only (as Kafka,
 * otherwise each such partition is answered INVALID_PRODUCER_ID_MAPPING). Each partition's append
 * carries the verification the log handed out ({@link VerificationGuard}), so a batch whose
 * transaction ended while it was being checked is refused rather than opening a new one.
 *
 * <p>Not thread-safe: built by the handling thread, then only read.
 */
final class TransactionalAppends {
    private final List<PartitionAppend> appends = new ArrayList<>();
    private long producerId = RecordBatchHeader.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatchHeader.NO_PRODUCER_EPOCH;
    private boolean severalProducers;

    /**
     * Keeps {@code append} for verification when it begins a transaction (null); otherwise the
     * append to write at once: not transactional (not held to a verification), or continuing the
     * producer's open transaction (held to it staying open).
     */
    PartitionAppend add(PartitionAppend append, PartitionAccess access, VerificationMode mode) {
        ByteBuffer records = append.records();
        if (records.remaining() < RecordBatchHeader.HEADER_SIZE) {
            return append;
        }
        RecordBatchHeader header = new RecordBatchHeader().wrap(records, records.position());
        if (header.magic() != RecordBatchHeader.MAGIC_V2 || !header.isTransactional() || !header.hasProducerId()
                || header.isControl()) {
            return append;
        }
        Optional<VerificationGuard> guard = access.startTransactionVerification(append.tp(), header.producerId(),
                header.producerEpoch(), mode == VerificationMode.ADD_PARTITION);
        if (guard.isEmpty() || guard.get() == VerificationGuard.NONE) {
            return append.withGuard(VerificationGuard.NONE);
        }
        if (appends.isEmpty()) {
            producerId = header.producerId();
            producerEpoch = header.producerEpoch();
        } else if (producerId != header.producerId() || producerEpoch != header.producerEpoch()) {
            severalProducers = true;
        }
        appends.add(append.withGuard(guard.get()));
        return null;
    }

    boolean isEmpty() {
        return appends.isEmpty();
    }

    List<PartitionAppend> appends() {
        return appends;
    }

    /** The partitions not to append, with what to answer for each. */
    CompletableFuture<Map<TopicPartition, VerificationErrors.Failure>> verify(TransactionVerifier verifier,
                                                                              String transactionalId,
                                                                              VerificationMode mode) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        appends.forEach(a -> partitions.add(a.tp()));
        if (severalProducers) {
            Map<TopicPartition, VerificationErrors.Failure> failures = new HashMap<>();
            partitions.forEach(tp -> failures.put(tp, new VerificationErrors.Failure(
                    Errors.INVALID_PRODUCER_ID_MAPPING, "Transactional records contained more than one producer ID")));
            return CompletableFuture.completedFuture(failures);
        }
        return verifier.verifyProduce(transactionalId, producerId, producerEpoch, partitions, mode).thenApply(errors -> {
            Map<TopicPartition, VerificationErrors.Failure> failures = new HashMap<>();
            errors.forEach((tp, error) -> failures.put(tp, VerificationErrors.forProduce(error, mode)));
            return failures;
        });
    }
}
