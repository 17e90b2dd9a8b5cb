package io.millrace.coordinator.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private static final Uuid T = Uuid.randomUuid();

    @Test
    void revocationComesFirstAndTheEpochWaits() {
        MemberAssignment current = stable(3, 0, 1, 2, 3);
        MemberAssignment next = Reconciler.reconcile(current, 4, set(0, 1, 4), p -> false, null, false);

        assertEquals(new MemberAssignment(3, 2, MemberState.UNREVOKED_PARTITIONS, set(0, 1), set(2, 3)), next);
    }

    @Test
    void aReportStillHoldingRevokedPartitionsKeepsWaiting() {
        MemberAssignment revoking = new MemberAssignment(3, 2, MemberState.UNREVOKED_PARTITIONS, set(0, 1), set(2, 3));

        assertSame(revoking, Reconciler.reconcile(revoking, 4, set(0, 1, 4), p -> false, set(0, 1, 2), false));
        assertSame(revoking, Reconciler.reconcile(revoking, 4, set(0, 1, 4), p -> false, null, false));
    }

    @Test
    void aCompletedRevocationMovesToTheTargetEpochTakingFreePartitions() {
        MemberAssignment revoking = new MemberAssignment(3, 2, MemberState.UNREVOKED_PARTITIONS, set(0, 1), set(2, 3));

        MemberAssignment next = Reconciler.reconcile(revoking, 4, set(0, 1, 4, 5), p -> p.partition() == 5,
                set(0, 1), false);

        assertEquals(new MemberAssignment(4, 3, MemberState.UNRELEASED_PARTITIONS, set(0, 1, 4), PartitionSet.EMPTY),
                next);
        MemberAssignment released = Reconciler.reconcile(next, 4, set(0, 1, 4, 5), p -> false, null, false);
        assertEquals(new MemberAssignment(4, 3, MemberState.STABLE, set(0, 1, 4, 5), PartitionSet.EMPTY), released);
    }

    @Test
    void aRejoiningMemberOwnsNothingSoItsRevocationCompletesAtOnce() {
        MemberAssignment current = stable(3, 0, 1, 2, 3);

        MemberAssignment next = Reconciler.reconcile(current, 4, set(0, 1), p -> false, PartitionSet.EMPTY, true);

        assertEquals(new MemberAssignment(4, 3, MemberState.STABLE, set(0, 1), PartitionSet.EMPTY), next);
    }

    @Test
    void aStableMemberAtTheTargetEpochIsLeftAlone() {
        MemberAssignment current = stable(3, 0, 1);

        assertSame(current, Reconciler.reconcile(current, 3, set(0, 1), p -> true, set(0, 1), false));
    }

    private static MemberAssignment stable(int epoch, Integer... partitions) {
        return new MemberAssignment(epoch, epoch - 1, MemberState.STABLE, set(partitions), PartitionSet.EMPTY);
    }

    private static PartitionSet set(Integer... partitions) {
        return PartitionSet.builder().addAll(T, Set.of(partitions)).build();
    }

    static List<Integer> list(Integer... partitions) {
        return List.of(partitions);
    }
}
