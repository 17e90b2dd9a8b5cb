package io.millrace.coordinator.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import io.millrace.coordinator.runtime.BatchProducer;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.TransactionMarker;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service on the real runtime (threads, asynchronous appends) over an in-memory log, with a
 * marker sender that holds markers until the test releases them.
 */
@Timeout(30)
class TransactionCoordinatorServiceTest {
    private static final TopicPartition A = new TopicPartition("orders", 0);

    /** Every partition's records in memory, committed at once. */
    static final class MemoryLog implements CoordinatorLog {
        final Map<Integer, List<CoordinatorRecord>> partitions = new ConcurrentHashMap<>();
        volatile RuntimeException appendFailure;
        volatile RuntimeException commitFailure;

        @Override
        public Appended append(int partition, BatchProducer producer, List<CoordinatorRecord> records) {
            if (appendFailure != null) {
                throw appendFailure;
            }
            List<CoordinatorRecord> log = partitions.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>());
            long base = log.size();
            log.addAll(records);
            return new Appended(base, commitFailure == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(commitFailure));
        }

        @Override
        public Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch,
                                                   int coordinatorEpoch, TransactionMarker marker) {
            throw new UnsupportedOperationException("the transaction state log never gets markers");
        }

        @Override
        public void readAll(int partition, RecordSink sink) {
            List<CoordinatorRecord> log = partitions.getOrDefault(partition, List.of());
            for (int i = 0; i < log.size(); i++) {
                sink.record(i, -1, (short) -1, log.get(i));
            }
        }
    }

    /** Holds each marker request until {@link #release}. */
    static final class HeldMarkers implements TransactionMarkerSender {
        final List<TransactionMarkers> sent = new CopyOnWriteArrayList<>();
        final Map<TransactionMarkers, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<Void> send(TransactionMarkers markers) {
            CompletableFuture<Void> written = pending.computeIfAbsent(markers, m -> new CompletableFuture<>());
            sent.add(markers); // after: a test that sees it sent may release it at once
            return written;
        }

        void releaseAll() {
            pending.values().forEach(f -> f.complete(null));
        }
    }

    private final MemoryLog log = new MemoryLog();
    private final HeldMarkers markers = new HeldMarkers();
    private final AtomicLong ids = new AtomicLong(7000);
    private final Supplier<CompletableFuture<Long>> producerIds = () -> CompletableFuture.completedFuture(ids.getAndIncrement());
    private TransactionCoordinatorService service;

    private TransactionCoordinatorService start() throws Exception {
        TransactionCoordinatorService s = new TransactionCoordinatorService(TxnShardHarness.CONFIG, log, Time.SYSTEM,
                producerIds, markers);
        s.onElection(0);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!s.isActive(0) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        return s;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private TransactionMetadata state(String transactionalId) {
        CoordinatorRecord last = null;
        for (CoordinatorRecord r : log.partitions.get(0)) {
            if (TransactionRecords.transactionalId(r).equals(transactionalId)) {
                last = r;
            }
        }
        return last == null || last.isTombstone() ? null : TransactionRecords.metadata(last);
    }

    @Test
    void aCommitIsAnsweredThenCompletedOnceItsMarkersAreWritten() throws Exception {
        service = start();
        Transition p = service.initProducerId("tx", 60_000, -1, (short) -1).get();
        assertEquals(Errors.NONE, p.error());
        assertEquals(7000, p.producerId());
        assertEquals(Errors.NONE, service.addPartitions("tx", p.producerId(), p.producerEpoch(), Set.of(A)).get());
        assertEquals(Map.of(A, Errors.NONE), service.verifyPartitions("tx", p.producerId(), p.producerEpoch(), Set.of(A)).get());
        assertEquals(Errors.NONE, service.endTransaction("tx", p.producerId(), p.producerEpoch(), true, false).get().error());
        assertEquals(TransactionStatus.PREPARE_COMMIT, state("tx").status());
        assertEquals(Errors.CONCURRENT_TRANSACTIONS,
                service.endTransaction("tx", p.producerId(), p.producerEpoch(), true, false).get().error());
        waitFor(() -> markers.sent.size() == 1);
        assertEquals(Set.of(A), markers.sent.get(0).partitions());
        markers.releaseAll();
        waitFor(() -> state("tx").status() == TransactionStatus.COMPLETE_COMMIT);

        DescribeTransactionsResponseData.TransactionState described = service.describe("tx").get();
        assertEquals("CompleteCommit", described.transactionState());
        assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), service.describe("other").get().errorCode());
        ListTransactionsResponseData listed = service.list(List.of("CompleteCommit", "Bogus"), List.of(), -1).get();
        assertEquals(1, listed.transactionStates().size());
        assertEquals(List.of("Bogus"), listed.unknownStateFilters());
        assertEquals(0, service.list(List.of(), List.of(42L), -1).get().transactionStates().size());
    }

    @Test
    void aNewCoordinatorFinishesAPreparedCommit() throws Exception {
        service = start();
        Transition p = service.initProducerId("tx", 60_000, -1, (short) -1).get();
        service.addPartitions("tx", p.producerId(), p.producerEpoch(), Set.of(A)).get();
        service.endTransaction("tx", p.producerId(), p.producerEpoch(), true, false).get();
        service.close(); // dies before its markers are written
        markers.sent.clear();
        markers.pending.clear();
        service = start();
        waitFor(() -> markers.sent.size() == 1);
        assertTrue(markers.sent.get(0).commit());
        markers.releaseAll();
        waitFor(() -> state("tx").status() == TransactionStatus.COMPLETE_COMMIT);
    }

    @Test
    void noMarkerLeavesForAPrepareThatWasNotCommitted() throws Exception {
        service = start();
        Transition p = service.initProducerId("tx", 60_000, -1, (short) -1).get();
        service.addPartitions("tx", p.producerId(), p.producerEpoch(), Set.of(A)).get();
        log.appendFailure = new CoordinatorNotAvailableException("cannot append");
        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE,
                service.endTransaction("tx", p.producerId(), p.producerEpoch(), true, false).get().error());
        log.appendFailure = null;
        log.commitFailure = new NotCoordinatorException("lost leadership");
        assertEquals(Errors.NOT_COORDINATOR,
                service.endTransaction("tx", p.producerId(), p.producerEpoch(), true, false).get().error());
        Thread.sleep(100);
        assertTrue(markers.sent.isEmpty());
    }

    @Test
    void theTimeOutAbortsOnTheRuntimeAndItsMarkersFollow() throws Exception {
        service = new TransactionCoordinatorService(new TransactionCoordinatorConfig(1, 1, 900_000, 20, 604_800_000L,
                3_600_000L), log, Time.SYSTEM, producerIds, markers);
        service.onElection(0);
        waitFor(() -> service.isActive(0));
        Transition p = service.initProducerId("tx", 50, -1, (short) -1).get();
        service.addPartitions("tx", p.producerId(), p.producerEpoch(), Set.of(A)).get();
        waitFor(() -> markers.sent.size() == 1);
        assertFalse(markers.sent.get(0).commit());
        assertEquals(p.producerEpoch() + 1, markers.sent.get(0).producerEpoch());
        markers.releaseAll();
        waitFor(() -> state("tx").status() == TransactionStatus.COMPLETE_ABORT);
        assertEquals(Errors.PRODUCER_FENCED,
                service.endTransaction("tx", p.producerId(), p.producerEpoch(), true, false).get().error());
    }

    @Test
    void anOtherPartitionAnswersNotCoordinator() throws Exception {
        service = new TransactionCoordinatorService(new TransactionCoordinatorConfig(50, 1, 900_000, 10_000, 1, 1),
                log, Time.SYSTEM, producerIds, markers);
        assertEquals(Errors.NOT_COORDINATOR, service.initProducerId("tx", 60_000, -1, (short) -1).get().error());
        assertEquals(Errors.NOT_COORDINATOR, service.addPartitions("tx", 1, (short) 0, Set.of(A)).get());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Condition not met in time");
            }
            Thread.sleep(5);
        }
    }
}
