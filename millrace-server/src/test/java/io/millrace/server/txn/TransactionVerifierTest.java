package io.millrace.server.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class TransactionVerifierTest {
    private static final int NODE = 1;
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final TopicPartition TP1 = new TopicPartition("t", 1);

    private record Call(String where, int node, boolean verifyOnly) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final AtomicBoolean enabled = new AtomicBoolean(true);
    private Map<TopicPartition, Errors> answer = Map.of();
    private OptionalInt coordinator = OptionalInt.of(NODE);

    private TransactionVerifier verifier() {
        return new TransactionVerifier(enabled::get, id -> coordinator, NODE,
                (node, id, pid, epoch, tps, verifyOnly) -> {
                    calls.add(new Call("local", node, verifyOnly));
                    return CompletableFuture.completedFuture(answer);
                },
                (node, id, pid, epoch, tps, verifyOnly) -> {
                    calls.add(new Call("remote", node, verifyOnly));
                    return CompletableFuture.completedFuture(answer);
                },
                Runnable::run, retry);
    }

    private TransactionVerifier.ConcurrentRetry retry = TransactionVerifier.ConcurrentRetry.DEFAULTS;

    private Map<TopicPartition, Errors> verify(VerificationMode mode) {
        return verifier().verify("txn", 7L, (short) 3, Set.of(TP, TP1), mode).join();
    }

    @Test
    void modesFollowTheRequestVersions() {
        assertEquals(VerificationMode.VERIFY_LEGACY_ERRORS, VerificationMode.forProduce((short) 10));
        assertEquals(VerificationMode.VERIFY, VerificationMode.forProduce((short) 11));
        assertEquals(VerificationMode.ADD_PARTITION, VerificationMode.forProduce((short) 12));
        assertEquals(VerificationMode.VERIFY_LEGACY_ERRORS, VerificationMode.forTxnOffsetCommit((short) 3));
        assertEquals(VerificationMode.VERIFY, VerificationMode.forTxnOffsetCommit((short) 4));
        assertEquals(VerificationMode.ADD_PARTITION, VerificationMode.forTxnOffsetCommit((short) 5));
        assertTrue(VerificationMode.VERIFY.verifyOnly());
        assertFalse(VerificationMode.ADD_PARTITION.verifyOnly());
    }

    @Test
    void theLocalCoordinatorIsCalledDirectlyAndAnotherOverTheNetwork() {
        assertEquals(Map.of(), verify(VerificationMode.VERIFY));
        coordinator = OptionalInt.of(2);
        assertEquals(Map.of(), verify(VerificationMode.ADD_PARTITION));
        assertEquals(List.of(new Call("local", NODE, true), new Call("remote", 2, false)), calls);
    }

    @Test
    void noCoordinatorIsCoordinatorNotAvailable() {
        coordinator = OptionalInt.empty();
        assertEquals(Map.of(TP, Errors.COORDINATOR_NOT_AVAILABLE, TP1, Errors.COORDINATOR_NOT_AVAILABLE),
                verify(VerificationMode.VERIFY));
    }

    @Test
    void coordinatorErrorsAreTranslatedPerMode() {
        answer = Map.of(TP, Errors.TRANSACTION_ABORTABLE, TP1, Errors.NONE);
        assertEquals(Map.of(TP, Errors.INVALID_TXN_STATE), verify(VerificationMode.VERIFY_LEGACY_ERRORS));
        assertEquals(Map.of(TP, Errors.TRANSACTION_ABORTABLE), verify(VerificationMode.VERIFY));
        answer = Map.of(TP, Errors.PRODUCER_FENCED);
        assertEquals(Map.of(TP, Errors.INVALID_PRODUCER_EPOCH), verify(VerificationMode.ADD_PARTITION));
    }

    @Test
    void aFailedCallAnswersItsErrorForEveryPartition() {
        TransactionVerifier failing = new TransactionVerifier(() -> true, id -> OptionalInt.of(NODE), NODE,
                (node, id, pid, epoch, tps, v) -> CompletableFuture.failedFuture(new NotCoordinatorException("moved")),
                (node, id, pid, epoch, tps, v) -> {
                    throw new IllegalStateException();
                },
                Runnable::run, retry);
        assertEquals(Map.of(TP, Errors.NOT_COORDINATOR),
                failing.verify("txn", 7L, (short) 3, Set.of(TP), VerificationMode.VERIFY).join());
    }

    @Test
    void disabledVerificationSkipsVersionOneChecksButStillAddsAtVersionTwo() {
        enabled.set(false);
        answer = Map.of(TP, Errors.TRANSACTION_ABORTABLE);
        assertEquals(Map.of(), verify(VerificationMode.VERIFY));
        assertEquals(Map.of(TP, Errors.TRANSACTION_ABORTABLE), verify(VerificationMode.ADD_PARTITION));
        assertEquals(List.of(new Call("local", NODE, false)), calls);
    }

    @Test
    void concurrentTransactionsIsAskedAgainUntilThePreviousTransactionCompletes() {
        java.util.concurrent.atomic.AtomicInteger asks = new java.util.concurrent.atomic.AtomicInteger();
        retry = new TransactionVerifier.ConcurrentRetry(1, 10_000);
        TransactionVerifier verifier = new TransactionVerifier(() -> true, id -> OptionalInt.of(NODE), NODE,
                (node, id, pid, epoch, tps, v) -> CompletableFuture.completedFuture(asks.incrementAndGet() < 3
                        ? Map.of(TP, Errors.CONCURRENT_TRANSACTIONS) : Map.<TopicPartition, Errors>of()),
                (node, id, pid, epoch, tps, v) -> {
                    throw new IllegalStateException();
                },
                Runnable::run, retry);
        assertEquals(Map.of(), verifier.verifyProduce("txn", 7L, (short) 3, Set.of(TP), VerificationMode.ADD_PARTITION)
                .join());
        assertEquals(3, asks.get(), "asked until the coordinator stopped answering CONCURRENT_TRANSACTIONS");
    }

    @Test
    void concurrentTransactionsIsAnsweredOnceTheRetryTimeoutHasPassed() {
        answer = Map.of(TP, Errors.CONCURRENT_TRANSACTIONS, TP1, Errors.NONE);
        retry = new TransactionVerifier.ConcurrentRetry(20, 100);
        long start = System.nanoTime();
        Map<TopicPartition, Errors> errors = verifier().verifyProduce("txn", 7L, (short) 3, Set.of(TP, TP1),
                VerificationMode.ADD_PARTITION).join();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Map.of(TP, Errors.CONCURRENT_TRANSACTIONS), errors);
        assertTrue(calls.size() >= 2, "asked again: " + calls.size());
        assertTrue(tookMs >= 100, "kept asking for add.partitions.to.txn.retry.backoff.max.ms: " + tookMs);
        // Version 2 producers get CONCURRENT_TRANSACTIONS itself, older ones NOT_ENOUGH_REPLICAS.
        assertEquals(Errors.CONCURRENT_TRANSACTIONS,
                VerificationErrors.forProduce(Errors.CONCURRENT_TRANSACTIONS, VerificationMode.ADD_PARTITION).error());
        assertEquals(Errors.NOT_ENOUGH_REPLICAS,
                VerificationErrors.forProduce(Errors.CONCURRENT_TRANSACTIONS, VerificationMode.VERIFY).error());
    }

    @Test
    void onlyVersionTwoProduceIsAskedAgain() {
        answer = Map.of(TP, Errors.CONCURRENT_TRANSACTIONS);
        retry = new TransactionVerifier.ConcurrentRetry(1, 10_000);
        assertEquals(Map.of(TP, Errors.CONCURRENT_TRANSACTIONS),
                verifier().verifyProduce("txn", 7L, (short) 3, Set.of(TP), VerificationMode.VERIFY).join());
        assertEquals(Map.of(TP, Errors.CONCURRENT_TRANSACTIONS),
                verifier().verify("txn", 7L, (short) 3, Set.of(TP), VerificationMode.ADD_PARTITION).join());
        assertEquals(2, calls.size(), "TxnOffsetCommit and version 1 ask once, as Kafka");
        retry = new TransactionVerifier.ConcurrentRetry(1, 0);
        verifier().verifyProduce("txn", 7L, (short) 3, Set.of(TP), VerificationMode.ADD_PARTITION).join();
        assertEquals(3, calls.size(), "a zero timeout asks once");
    }

    @Test
    void theRetryKeysAreCheckedAndCappedByKafkasRequestTimeout() {
        assertEquals(new TransactionVerifier.ConcurrentRetry(20, 100), TransactionVerifier.ConcurrentRetry.DEFAULTS);
        assertEquals(30_000, new TransactionVerifier.ConcurrentRetry(20, 60_000).timeoutMs());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TransactionVerifier.ConcurrentRetry(0, 100));
    }

    @Test
    void writesWithoutTransactionalIdAreNotChecked() {
        assertEquals(Map.of(), verifier().verify(null, 7L, (short) 3, Set.of(TP), VerificationMode.VERIFY).join());
        assertTrue(calls.isEmpty());
    }

    @Test
    void produceAnswersRetriableCoordinatorTroubleAsNotEnoughReplicas() {
        VerificationMode v1 = VerificationMode.VERIFY;
        for (Errors e : List.of(Errors.CONCURRENT_TRANSACTIONS, Errors.NETWORK_EXCEPTION,
                Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.COORDINATOR_NOT_AVAILABLE, Errors.NOT_COORDINATOR)) {
            assertEquals(Errors.NOT_ENOUGH_REPLICAS, VerificationErrors.forProduce(e, v1).error(), e.name());
        }
        assertEquals(Errors.NOT_ENOUGH_REPLICAS,
                VerificationErrors.forProduce(Errors.NETWORK_EXCEPTION, VerificationMode.ADD_PARTITION).error());
        assertEquals(Errors.INVALID_TXN_STATE, VerificationErrors.forProduce(Errors.INVALID_TXN_STATE, v1).error());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH,
                VerificationErrors.forProduce(Errors.INVALID_PRODUCER_EPOCH, v1).error());
        assertNull(VerificationErrors.forProduce(Errors.TRANSACTION_ABORTABLE, v1).message());
        assertEquals(Errors.INVALID_TXN_STATE,
                VerificationErrors.fromCoordinatorRequest(Errors.CLUSTER_AUTHORIZATION_FAILED));
    }

    @Test
    void theBrokerRequestCarriesEachCheckAndItsAnswerKeepsOnlyErrors() {
        AddPartitionsToTxnSender.Check check = new AddPartitionsToTxnSender.Check("txn", 7L, (short) 3,
                Set.of(TP, TP1), false, new CompletableFuture<>());
        AddPartitionsToTxnSender.Check other = new AddPartitionsToTxnSender.Check("other", 8L, (short) 0,
                Set.of(TP), true, new CompletableFuture<>());
        AddPartitionsToTxnRequestData request = AddPartitionsToTxnSender.request(List.of(check, other));
        assertEquals(2, request.transactions().size());
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction txn = request.transactions().find("txn");
        assertFalse(txn.verifyOnly());
        assertEquals(7L, txn.producerId());
        assertEquals(2, txn.topics().find("t").partitions().size());
        assertTrue(request.transactions().find("other").verifyOnly());

        AddPartitionsToTxnTopicResult topic = new AddPartitionsToTxnTopicResult().setName("t");
        topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(0)
                .setPartitionErrorCode(Errors.TRANSACTION_ABORTABLE.code()));
        topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(1));
        AddPartitionsToTxnResult result = new AddPartitionsToTxnResult().setTransactionalId("txn");
        result.topicResults().add(topic);
        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
        response.resultsByTransaction().add(result);
        assertEquals(Map.of("txn", Map.of(TP, Errors.TRANSACTION_ABORTABLE), "other", Map.of(TP, Errors.UNKNOWN_SERVER_ERROR)),
                AddPartitionsToTxnSender.errorsOf(response, List.of(check, other)));
        assertEquals(Map.of("txn", Map.of(TP, Errors.INVALID_TXN_STATE)), AddPartitionsToTxnSender.errorsOf(
                new AddPartitionsToTxnResponseData().setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()),
                List.of(new AddPartitionsToTxnSender.Check("txn", 7L, (short) 3, Set.of(TP), false,
                        new CompletableFuture<>()))));
    }
}
