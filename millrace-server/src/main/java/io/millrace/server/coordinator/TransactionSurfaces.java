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
 * <p>On, with {@code transaction.version} finalized at 2 (KIP-890 part 2): 4.x clients send
 * Produce v12+ and TxnOffsetCommit v5+, whose partition leader has the coordinator add the
 * partition to the transaction ({@code TransactionVerifier}), and EndTxn v5 bumps the epoch at
 * every transaction; older clients run version 1 (explicit AddPartitionsToTxn/AddOffsetsToTxn,
 * checked by the leader with verify-only requests). Both run end to end in {@code TransactionsIT}.
 * Stateless.
 */
public final class TransactionSurfaces {
    private static final boolean SERVED = true;
    /** The KIP-890 part 2 level served when on (epoch bump at every transaction). */
    private static final short TRANSACTION_VERSION = 2;
    /**
     * Whether Produce v12+ and TxnOffsetCommit v5+ add partitions to the transaction themselves
     * (KIP-890 part 2); {@code transaction.version} is advertised only then.
     */
    private static final boolean PRODUCE_ADDS_PARTITIONS = true;

    private TransactionSurfaces() {
    }

    public static boolean served() {
        return SERVED;
    }

    /** The features ApiVersions advertises for transactions: {@code transaction.version=2}; none while off. */
    public static Map<String, Short> features() {
        return SERVED && PRODUCE_ADDS_PARTITIONS ? Map.of("transaction.version", TRANSACTION_VERSION) : Map.of();
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
