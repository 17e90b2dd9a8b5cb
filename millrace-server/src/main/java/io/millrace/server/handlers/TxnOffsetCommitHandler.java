package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * TxnOffsetCommit (KIP-98; group metadata of KIP-447 from v3), sent by a transactional producer to
 * the group's coordinator: the offsets are written to {@code __consumer_offsets} as a transactional
 * batch of the producer and become the group's at its COMMIT marker, vanish at ABORT
 * ({@link GroupCoordinatorService#commitTransactionalOffsets}). Versions 0 to 5 (v6 names topics by
 * id and is not served). Stateless.
 *
 * <p>Not checked here: that the producer added the group to its transaction (AddOffsetsToTxn, or for
 * v5 the transaction coordinator's verification of KIP-890), which needs the transaction coordinator.
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData> {
    private static final short MAX_VERSION = 5;

    private final GroupCoordinatorService coordinator;

    public TxnOffsetCommitHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public short maxVersion() {
        return MAX_VERSION;
    }

    @Override
    public CompletableFuture<TxnOffsetCommitResponseData> handle(RequestContext context,
                                                                TxnOffsetCommitRequestData request) {
        return coordinator.commitTransactionalOffsets(request);
    }
}
