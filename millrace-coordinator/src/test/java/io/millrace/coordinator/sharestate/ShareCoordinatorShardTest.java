package io.millrace.coordinator.sharestate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The share coordinator's state machine on its own: each operation's records are replayed, as the
 * runtime does, and a new shard replaying the same records (a reload) holds the same state.
 */
class ShareCoordinatorShardTest {
    private static final ShareStateKey KEY = new ShareStateKey("sg", Uuid.randomUuid(), 0);
    private final List<CoordinatorRecord> log = new ArrayList<>();
    private final ShareCoordinatorShard shard = new ShareCoordinatorShard(null);

    private ShareStateResult apply(CoordinatorResult<ShareStateResult> result) {
        result.records().forEach(r -> {
            log.add(r);
            shard.replay(log.size() - 1, -1, (short) -1, r);
        });
        return result.response();
    }

    private static ShareSnapshot snapshot(int stateEpoch, int leaderEpoch, long start, ShareStateBatch... batches) {
        return new ShareSnapshot(stateEpoch, leaderEpoch, start, List.of(batches));
    }

    @Test
    void aWrittenSnapshotIsReadBackAndSurvivesAReload() {
        assertNull(apply(shard.read(KEY, 0)).snapshot(), "no state yet");
        ShareSnapshot written = snapshot(0, 3, 5, new ShareStateBatch(5, 7, ShareStateBatch.ACKNOWLEDGED, (short) 1),
                new ShareStateBatch(8, 8, ShareStateBatch.ACQUIRED, (short) 2));
        assertEquals(Errors.NONE, apply(shard.write(KEY, written)).error());
        assertEquals(written, apply(shard.read(KEY, 3)).snapshot());

        ShareCoordinatorShard reloaded = new ShareCoordinatorShard(null);
        for (int i = 0; i < log.size(); i++) {
            reloaded.replay(i, -1, (short) -1, log.get(i));
        }
        assertEquals(written, reloaded.snapshot(KEY));
    }

    @Test
    void olderLeadersAndStateEpochsAreFenced() {
        apply(shard.write(KEY, snapshot(0, 2, 0)));
        assertEquals(3, apply(shard.read(KEY, 3)).snapshot().leaderEpoch(), "a newer leader's read is recorded");
        assertEquals(Errors.FENCED_LEADER_EPOCH, apply(shard.read(KEY, 2)).error());
        assertEquals(Errors.FENCED_LEADER_EPOCH, apply(shard.write(KEY, snapshot(0, 2, 4))).error());

        assertEquals(Errors.NONE, apply(shard.initialize(KEY, 1, 10)).error());
        assertEquals(snapshot(1, 3, 10), shard.snapshot(KEY));
        assertEquals(Errors.FENCED_STATE_EPOCH, apply(shard.initialize(KEY, 1, 20)).error());
        assertEquals(Errors.FENCED_STATE_EPOCH, apply(shard.write(KEY, snapshot(0, 3, 12))).error());
    }

    @Test
    void deletedStateIsGone() {
        apply(shard.write(KEY, snapshot(0, 0, 7)));
        assertEquals(Errors.NONE, apply(shard.delete(KEY)).error());
        assertNull(shard.snapshot(KEY));
        assertNull(apply(shard.read(KEY, 0)).snapshot());
    }
}
