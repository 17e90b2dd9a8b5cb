package io.millrace.server.coordinator;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.metadata.log.MetadataView;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.handlers.AddOffsetsToTxnHandler;
import io.millrace.server.handlers.AddPartitionsToTxnHandler;
import io.millrace.server.handlers.DescribeTransactionsHandler;
import io.millrace.server.handlers.EndTxnHandler;
import io.millrace.server.handlers.ListTransactionsHandler;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The one switch for what clients see of transactions: whether the broker runs the transaction
 * coordinator, registers the transactional APIs (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * DescribeTransactions, ListTransactions; InitProducerId's transactional path; FindCoordinator
 * with key type TRANSACTION) and advertises the {@code transaction.version} feature.
 *
 * <p>Off: a transactional producer needs the whole chain (TxnOffsetCommit, transactional Produce,
 * WriteTxnMarkers, read_committed fetch, the LSO), and advertising part of it would make clients
 * start transactions the broker cannot finish. Turn it on only once a kafka-clients
 * transactional producer works end to end ({@code TransactionSurfacesIT} then needs turning around).
 * Tried with the switch on (kafka-clients 4.x, one node): initTransactions and a first
 * transaction's commit answer, but its markers are never written (no WriteTxnMarkers handler
 * here yet), so the next transaction waits on CONCURRENT_TRANSACTIONS; and with
 * {@code transaction.version} advertised the client expects Produce v12+ to add partitions to the
 * transaction itself (KIP-890 part 2, through {@code TransactionCoordinatorService.addPartitions}),
 * so EndTxn finds an Empty transaction.
 * Stateless.
 */
public final class TransactionSurfaces {
    private static final boolean SERVED = false;
    /** The KIP-890 part 2 level served when on (epoch bump at every transaction). */
    private static final short TRANSACTION_VERSION = 2;

    private TransactionSurfaces() {
    }

    public static boolean served() {
        return SERVED;
    }

    /** The features ApiVersions advertises for transactions: none while off. */
    public static Map<String, Short> features() {
        return SERVED ? Map.of("transaction.version", TRANSACTION_VERSION) : Map.of();
    }

    /** The transactional API handlers (InitProducerId and FindCoordinator take the coordinator themselves). */
    public static List<ApiHandler<?>> handlers(TransactionCoordinatorService transactions,
                                               GroupCoordinatorService groups, MetadataView metadata) {
        return List.of(
                new AddPartitionsToTxnHandler(transactions, tp -> exists(metadata, tp)),
                new AddOffsetsToTxnHandler(transactions, groups),
                new EndTxnHandler(transactions),
                new DescribeTransactionsHandler(transactions),
                new ListTransactionsHandler(transactions));
    }

    private static boolean exists(MetadataView metadata, TopicPartition tp) {
        return metadata.image().topic(tp.topic()).map(t -> t.partitions().containsKey(tp.partition())).orElse(false);
    }
}
