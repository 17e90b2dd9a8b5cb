package io.millrace.coordinator.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.junit.jupiter.api.Test;

/** ListTransactions' filters ({@link TransactionViews.ListFilter}), the transactional id pattern of v2 above all. */
class TransactionListFilterTest {
    private static final long NOW = 1_000_000;
    private static final List<TransactionMetadata> ALL = List.of(
            metadata("orders-1", 1, TransactionStatus.ONGOING, NOW - 10_000),
            metadata("orders-2", 2, TransactionStatus.EMPTY, -1),
            metadata("payments", 3, TransactionStatus.COMPLETE_COMMIT, NOW - 50));

    @Test
    void aPatternKeepsTheIdsItMatchesWhole() {
        assertEquals(List.of("orders-1", "orders-2"), ids(filter("orders-.*")));
        assertEquals(List.of(), ids(filter("orders")), "the whole id must match, as Kafka's matches()");
        assertEquals(List.of("orders-2", "payments"), ids(filter("orders-2|pay.*")));
    }

    @Test
    void noPatternOrAnEmptyOneKeepsEveryId() {
        assertEquals(List.of("orders-1", "orders-2", "payments"), ids(filter(null)));
        assertEquals(List.of("orders-1", "orders-2", "payments"), ids(filter("")));
    }

    @Test
    void thePatternCombinesWithTheOtherFilters() {
        TransactionViews.ListFilter ongoingOrders = TransactionViews.ListFilter.of(List.of("Ongoing"), List.of(), -1,
                "orders-.*");
        assertEquals(List.of("orders-1"), ids(ongoingOrders));
        TransactionViews.ListFilter longRunning = TransactionViews.ListFilter.of(List.of(), List.of(3L, 1L), 1_000,
                ".*");
        assertEquals(List.of("orders-1"), ids(longRunning));
    }

    @Test
    void anInvalidPatternIsRefused() {
        assertThrows(PatternSyntaxException.class, () -> filter("orders-("));
    }

    private static TransactionViews.ListFilter filter(String pattern) {
        return TransactionViews.ListFilter.of(List.of(), List.of(), -1, pattern);
    }

    private static List<String> ids(TransactionViews.ListFilter filter) {
        return filter.select(ALL, NOW).stream().map(ListTransactionsResponseData.TransactionState::transactionalId)
                .toList();
    }

    private static TransactionMetadata metadata(String id, long producerId, TransactionStatus status, long start) {
        return new TransactionMetadata(id, producerId, -1, -1, (short) 0, (short) -1, 60_000, status, Set.of(), start,
                NOW, (short) 1);
    }
}
