package io.millrace.server.partition;

import io.millrace.storage.AbortedTransaction;
import io.millrace.storage.EpochEndOffset;
import io.millrace.storage.FileReadResult;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * The result of reading one partition. On OFFSET_OUT_OF_RANGE the offsets are still filled in
 * so the client can reset.
 *
 * @param lastStableOffset    the partition's last stable offset (-1 when unknown)
 * @param abortedTransactions for a read_committed read that returned records: the aborted
 *                            transactions overlapping them (possibly empty); null otherwise
 * @param divergingEpoch      for a follower's fetch whose log diverged from the leader's: the
 *                            largest epoch at or below its last fetched epoch and where it ends
 *                            (no records then); null otherwise
 */
public record ReadOutcome(Errors error, FileReadResult result, long highWatermark, long lastStableOffset,
                          long logStartOffset, List<AbortedTransaction> abortedTransactions,
                          EpochEndOffset divergingEpoch) {

    static ReadOutcome failed(Errors error) {
        return new ReadOutcome(error, null, -1, -1, -1, null, null);
    }
}
