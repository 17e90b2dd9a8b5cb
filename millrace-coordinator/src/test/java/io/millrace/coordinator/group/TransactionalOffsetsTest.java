package io.millrace.coordinator.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.runtime.TransactionMarker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TxnOffsetCommit on one shard: offsets pending until the producer's COMMIT (visible) or ABORT
 * (gone) marker, also after a reload; the KIP-447 group checks; require_stable; deletion and expiry
 * with open transactions.
 */
@Timeout(30)
class TransactionalOffsetsTest {
    private static final long PRODUCER = 4_000L;
    private final ShardHarness h = ShardHarness.withDefaults();

    private static TxnOffsetCommitRequestData txnCommit(String group, int generation, String memberId, String instanceId,
                                                        String topic, int partition, long offset) {
        return new TxnOffsetCommitRequestData().setTransactionalId("tx").setGroupId(group).setProducerId(PRODUCER)
                .setProducerEpoch((short) 0).setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setGroupInstanceId(instanceId).setTopics(List.of(new TxnOffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new TxnOffsetCommitRequestPartition().setPartitionIndex(partition)
                                .setCommittedOffset(offset).setCommittedMetadata("m")))));
    }

    private Errors commit(TxnOffsetCommitRequestData request) {
        TxnOffsetCommitResponseData response = h.write(s -> s.commitTransactionalOffsets(request));
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private Errors commitSimple(String group, long offset) {
        return commit(txnCommit(group, -1, "", null, "orders", 0, offset));
    }

    private OffsetFetchResponsePartitions fetch(String group, boolean requireStable) {
        return h.shard.fetchOffsets(ShardHarness.context((short) 9), new OffsetFetchRequestGroup().setGroupId(group)
                .setTopics(List.of(new OffsetFetchRequestTopics().setName("orders").setPartitionIndexes(List.of(0)))),
                requireStable).topics().get(0).partitions().get(0);
    }

    @Test
    void anOffsetCommittedInATransactionBecomesVisibleAtItsCommitMarker() {
        assertEquals(Errors.NONE, commitSimple("g", 42));
        assertEquals(-1, fetch("g", false).committedOffset(), "pending until the marker");
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), fetch("g", true).errorCode());
        h.marker(PRODUCER, TransactionMarker.COMMIT);
        assertEquals(42, fetch("g", true).committedOffset());
        assertEquals(Errors.NONE.code(), fetch("g", true).errorCode());
        h.reload();
        assertEquals(42, fetch("g", true).committedOffset(), "a reload replays the batch and the marker alike");
    }

    @Test
    void anOffsetCommittedInAnAbortedTransactionVanishes() {
        h.write(s -> s.commitOffsets(ShardHarness.context((short) 9), new OffsetCommitRequestData().setGroupId("g")
                .setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(7)))))));
        assertEquals(Errors.NONE, commitSimple("g", 42));
        h.marker(PRODUCER, TransactionMarker.ABORT);
        assertEquals(7, fetch("g", true).committedOffset());
        h.reload();
        assertEquals(7, fetch("g", true).committedOffset());
    }

    @Test
    void unknownTopicsAndPartitionsAreRefusedAsKafkaDoes() {
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, commit(txnCommit("g", -1, "", null, "nope", 0, 1)));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, commit(txnCommit("g", -1, "", null, "orders", 3, 1)));
        assertEquals(List.of(), h.log, "nothing was written");
    }

    @Test
    void anUnknownGroupAcceptsOnlyCommitsWithoutAGeneration() {
        assertEquals(Errors.ILLEGAL_GENERATION, commit(txnCommit("g", 1, "m", null, "orders", 0, 1)));
        assertEquals(Errors.INVALID_GROUP_ID, commit(txnCommit("", -1, "", null, "orders", 0, 1)));
    }

    private JoinGroupResponseData stableMember(String instanceId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setGroupInstanceId(instanceId).setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(20_000)
                .setProtocolType("consumer").setProtocols(protocols);
        CompletableFuture<JoinGroupResponseData> joined = join(join);
        if (instanceId == null) {
            assertEquals(Errors.MEMBER_ID_REQUIRED.code(), joined.join().errorCode());
            joined = join(join.duplicate().setMemberId(joined.join().memberId()));
        }
        h.advance(3_000);
        JoinGroupResponseData member = joined.join();
        CompletableFuture<SyncGroupResponseData> synced = new CompletableFuture<>();
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId("g").setMemberId(member.memberId())
                .setGroupInstanceId(instanceId).setGenerationId(member.generationId()).setAssignments(List.of());
        SyncGroupResponseData direct = h.write(s -> s.classicGroups().sync(sync, synced));
        if (direct != null) {
            synced.complete(direct);
        }
        assertEquals(Errors.NONE.code(), synced.join().errorCode());
        return member;
    }

    private CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request) {
        CompletableFuture<JoinGroupResponseData> joined = new CompletableFuture<>();
        JoinGroupResponseData now = h.write(s -> s.classicGroups().join(ShardHarness.context((short) 9), request, joined));
        if (now != null) {
            joined.complete(now);
        }
        return joined;
    }

    @Test
    void aClassicGroupChecksMemberAndGenerationAsKip447Says() {
        JoinGroupResponseData member = stableMember(null);
        int generation = member.generationId();
        assertEquals(Errors.NONE, commit(txnCommit("g", generation, member.memberId(), null, "orders", 0, 1)));
        assertEquals(Errors.ILLEGAL_GENERATION, commit(txnCommit("g", generation + 1, member.memberId(), null, "orders", 0, 1)));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, commit(txnCommit("g", generation, "stranger", null, "orders", 0, 1)));
        // Old clients (v0-2) send no group metadata: accepted whatever the group's state.
        assertEquals(Errors.NONE, commit(txnCommit("g", -1, "", null, "orders", 0, 2)));
    }

    @Test
    void aStaticMemberReplacedByANewerInstanceIsFenced() {
        JoinGroupResponseData member = stableMember("instance-1");
        assertEquals(Errors.NONE, commit(txnCommit("g", member.generationId(), member.memberId(), "instance-1",
                "orders", 0, 1)));
        assertEquals(Errors.FENCED_INSTANCE_ID, commit(txnCommit("g", member.generationId(), "old-member-id",
                "instance-1", "orders", 0, 1)));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, commit(txnCommit("g", member.generationId(), member.memberId(),
                "instance-2", "orders", 0, 1)));
    }

    @Test
    void deletingAGroupAlsoDropsItsPendingOffsets() {
        assertEquals(Errors.NONE, commitSimple("g", 42));
        List<DeletableGroupResult> deleted = h.write(s -> s.deleteGroups(List.of("g")));
        assertEquals(Errors.NONE.code(), deleted.get(0).errorCode());
        h.marker(PRODUCER, TransactionMarker.COMMIT);
        assertEquals(-1, fetch("g", true).committedOffset(), "the tombstone dropped the pending offset, as in Kafka");
    }

    @Test
    void anOffsetAnOpenTransactionReplacesDoesNotExpire() {
        h.write(s -> s.commitOffsets(ShardHarness.context((short) 9), new OffsetCommitRequestData().setGroupId("g")
                .setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(7)))))));
        assertEquals(Errors.NONE, commitSimple("g", 42));
        h.advance(120_000); // past offsets retention (60 s): the expiry timer ran
        assertTrue(h.shard.offsets().hasOpenTransactions("g"));
        assertEquals(7, fetch("g", false).committedOffset(), "not expired while the transaction is open");
        h.marker(PRODUCER, TransactionMarker.COMMIT);
        assertEquals(42, fetch("g", false).committedOffset());
    }
}
