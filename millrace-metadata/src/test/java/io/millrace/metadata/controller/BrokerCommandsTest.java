package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.SETTINGS;
import static io.millrace.metadata.controller.TestImages.after;
import static io.millrace.metadata.controller.TestImages.epochOf;
import static io.millrace.metadata.controller.TestImages.partitionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.command.BrokerHeartbeat;
import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class BrokerCommandsTest {
    private final BrokerCommands commands = new BrokerCommands(SETTINGS);

    @Test
    void registrationGivesIncreasingEpochsAndRetriesAreIdempotent() {
        MetadataImage image = MetadataImage.EMPTY;
        RegisterBroker first = new RegisterBroker(1, Uuid.randomUuid(), List.of(), null);
        CommandResult<RegisterBroker.Reply> r1 = commands.register(image, first);
        image = after(image, r1);
        BrokerImage registered = image.broker(1).orElseThrow();
        assertTrue(registered.fenced(), "a new broker starts fenced");
        assertEquals(r1.reply().brokerEpoch(), registered.brokerEpoch());

        CommandResult<RegisterBroker.Reply> retry = commands.register(image, first);
        assertTrue(retry.records().isEmpty());
        assertEquals(r1.reply().brokerEpoch(), retry.reply().brokerEpoch());

        CommandResult<RegisterBroker.Reply> r2 = commands.register(image, new RegisterBroker(2, Uuid.randomUuid(),
                List.of(), null));
        assertTrue(r2.reply().brokerEpoch() > r1.reply().brokerEpoch());
        image = after(image, r2);
        CommandResult<RegisterBroker.Reply> again = commands.register(image, new RegisterBroker(1, Uuid.randomUuid(),
                List.of(), null));
        assertTrue(again.reply().brokerEpoch() > r2.reply().brokerEpoch());
    }

    @Test
    void aNewIncarnationFencesTheOldOneAndMovesItsLeadership() {
        MetadataImage image = TestImages.builder().active(1, 2, 3).topic()
                .partition(0, List.of(1, 2, 3), List.of(1, 2, 3), 1)
                .partition(1, List.of(2, 1), List.of(2, 1), 2)
                .partition(2, List.of(1, 3), List.of(1), 1)
                .build();
        CommandResult<RegisterBroker.Reply> r = commands.register(image, new RegisterBroker(1, Uuid.randomUuid(),
                List.of(), "rack-x"));
        assertEquals(Errors.NONE, r.reply().error().error());
        MetadataImage next = after(image, r);
        BrokerImage b1 = next.broker(1).orElseThrow();
        assertEquals(r.reply().brokerEpoch(), b1.brokerEpoch());
        assertTrue(b1.fenced());
        assertEquals("rack-x", b1.rack());

        PartitionRecord p0 = partitionOf(next, 0);
        assertEquals(2, p0.leader());
        assertEquals(List.of(2, 3), p0.isr());
        assertEquals(6, p0.leaderEpoch());
        PartitionRecord p1 = partitionOf(next, 1);
        assertEquals(2, p1.leader());
        assertEquals(List.of(2), p1.isr());
        assertEquals(5, p1.leaderEpoch(), "an ISR-only change keeps the leader epoch");
        assertEquals(11, p1.partitionEpoch());
        PartitionRecord p2 = partitionOf(next, 2);
        assertEquals(PartitionRecord.NO_LEADER, p2.leader(), "3 is not in sync and unclean election is off");
        assertEquals(List.of(1), p2.isr(), "the last in-sync replica stays in the ISR");
    }

    @Test
    void aFencedBrokerBehindTheMetadataStaysFenced() {
        MetadataImage image = TestImages.builder().fenced(1).active(2).topic()
                .partition(0, List.of(1, 2), List.of(1), PartitionRecord.NO_LEADER)
                .build();
        CommandResult<BrokerHeartbeat.Reply> r = commands.heartbeat(image, new BrokerHeartbeat(1, epochOf(1), 4, false), 5);
        assertEquals(new BrokerHeartbeat.Reply(ApiError.NONE, true, false, false), r.reply());
        assertTrue(r.records().isEmpty());
        assertFalse(commands.heartbeat(image, new BrokerHeartbeat(1, epochOf(1), 5, false), 5).reply().fenced());
    }

    @Test
    void aBrokerWhoseLogsCannotBeWrittenIsFencedUntilTheyCanAgain() {
        MetadataImage image = TestImages.builder().active(1, 2, 3).topic()
                .partition(0, List.of(1, 2, 3), List.of(1, 2, 3), 1)
                .partition(1, List.of(2, 1), List.of(2, 1), 2)
                .build();
        CommandResult<BrokerHeartbeat.Reply> full = commands.heartbeat(image,
                new BrokerHeartbeat(1, epochOf(1), 0, false, true), 0);
        assertEquals(new BrokerHeartbeat.Reply(ApiError.NONE, true, false, false), full.reply());
        MetadataImage fenced = after(image, full);
        assertTrue(fenced.broker(1).orElseThrow().fenced());
        assertEquals(2, partitionOf(fenced, 0).leader(), "its leadership moves to an in-sync replica");
        assertEquals(List.of(2, 3), partitionOf(fenced, 0).isr());
        assertEquals(List.of(2), partitionOf(fenced, 1).isr());

        CommandResult<BrokerHeartbeat.Reply> still = commands.heartbeat(fenced,
                new BrokerHeartbeat(1, epochOf(1), 0, false, true), 0);
        assertTrue(still.reply().fenced(), "stays fenced while its writes fail");
        assertTrue(still.records().isEmpty());

        CommandResult<BrokerHeartbeat.Reply> recovered = commands.heartbeat(fenced,
                new BrokerHeartbeat(1, epochOf(1), 0, false, false), 0);
        assertFalse(recovered.reply().fenced(), "unfenced once its writes succeed again");
        assertFalse(after(fenced, recovered).broker(1).orElseThrow().fenced());
    }

    @Test
    void aLoneBrokerWhoseLogsCannotBeWrittenKeepsServingReads() {
        MetadataImage image = TestImages.builder().active(1).fenced(2).topic()
                .partition(0, List.of(1, 2), List.of(1), 1)
                .build();
        CommandResult<BrokerHeartbeat.Reply> full = commands.heartbeat(image,
                new BrokerHeartbeat(1, epochOf(1), 0, false, true), 0);
        assertFalse(full.reply().fenced(), "nobody could take over its partitions");
        assertTrue(full.records().isEmpty());
    }

    @Test
    void heartbeatWithAStaleEpochIsRefused() {
        MetadataImage image = TestImages.builder().active(1).build();
        assertEquals(Errors.STALE_BROKER_EPOCH, commands.heartbeat(image,
                new BrokerHeartbeat(1, epochOf(1) - 1, 0, false), 0).reply().error().error());
        assertEquals(Errors.STALE_BROKER_EPOCH, commands.heartbeat(image,
                new BrokerHeartbeat(9, 1, 0, false), 0).reply().error().error());
    }

    @Test
    void heartbeatUnfencesAndElectsLeadersItMakesPossible() {
        MetadataImage image = TestImages.builder().fenced(1).active(2).topic()
                .partition(0, List.of(1, 2), List.of(1), PartitionRecord.NO_LEADER)
                .partition(1, List.of(2, 1), List.of(2), 2)
                .build();
        CommandResult<BrokerHeartbeat.Reply> r = commands.heartbeat(image, new BrokerHeartbeat(1, epochOf(1), 0, false), 0);
        assertEquals(new BrokerHeartbeat.Reply(ApiError.NONE, false, false, false), r.reply());
        MetadataImage next = after(image, r);
        assertFalse(next.broker(1).orElseThrow().fenced());
        assertEquals(1, partitionOf(next, 0).leader());
        assertEquals(List.of(1), partitionOf(next, 0).isr());
        assertEquals(List.of(2), partitionOf(next, 1).isr(), "the leader adds it back to the ISR, not the controller");

        CommandResult<BrokerHeartbeat.Reply> steady = commands.heartbeat(next, new BrokerHeartbeat(1, epochOf(1), 0, false), 0);
        assertTrue(steady.records().isEmpty());
    }

    @Test
    void uncleanElectionOnUnfenceWhenTheTopicAllowsIt() {
        MetadataImage image = TestImages.builder().fenced(1, 2).topic()
                .partition(0, List.of(1, 2), List.of(1), PartitionRecord.NO_LEADER)
                .build();
        BrokerCommands unclean = new BrokerCommands(TestImages.UNCLEAN);
        MetadataImage next = after(image, unclean.heartbeat(image, new BrokerHeartbeat(2, epochOf(2), 0, false), 0));
        assertEquals(2, partitionOf(next, 0).leader());
        assertEquals(List.of(2), partitionOf(next, 0).isr());
    }

    @Test
    void controlledShutdownMovesLeadershipThenAllowsShutdown() {
        MetadataImage image = TestImages.builder().active(1, 2).fenced(3).topic()
                .partition(0, List.of(1, 2), List.of(1, 2), 1)
                .partition(1, List.of(1, 3), List.of(1, 3), 1)
                .partition(2, List.of(1), List.of(1), 1)
                .partition(3, List.of(2, 1), List.of(2, 1), 2)
                .build();
        CommandResult<BrokerHeartbeat.Reply> r = commands.heartbeat(image, new BrokerHeartbeat(1, epochOf(1), 0, true), 0);
        assertEquals(new BrokerHeartbeat.Reply(ApiError.NONE, false, true, true), r.reply());
        MetadataImage next = after(image, r);
        assertTrue(next.broker(1).orElseThrow().inControlledShutdown());
        assertEquals(2, partitionOf(next, 0).leader());
        assertEquals(List.of(2), partitionOf(next, 0).isr());
        assertEquals(1, partitionOf(next, 1).leader(), "no other active ISR member: it keeps leading");
        assertEquals(List.of(1, 3), partitionOf(next, 1).isr());
        assertEquals(1, partitionOf(next, 2).leader());
        assertEquals(List.of(2), partitionOf(next, 3).isr(), "it leaves the ISRs it follows in");

        CommandResult<BrokerHeartbeat.Reply> again = commands.heartbeat(next, new BrokerHeartbeat(1, epochOf(1), 0, true), 0);
        assertTrue(again.records().isEmpty());
        assertTrue(again.reply().shouldShutdown());
    }

    @Test
    void controlledShutdownWaitsWhileAnotherActiveIsrMemberCouldLead() {
        MetadataImage image = TestImages.builder().active(1, 2).topic()
                .partition(0, List.of(1, 2), List.of(1, 2), 1)
                .build();
        // Broker 2 is also shutting down: nobody can take over, so 1 may shut down.
        MetadataImage both = image.apply(List.of(new io.millrace.metadata.records.BrokerStateRecord(2, epochOf(2),
                false, true)));
        assertTrue(commands.heartbeat(both, new BrokerHeartbeat(1, epochOf(1), 0, true), 0).reply().shouldShutdown());
        assertFalse(BrokerLeadership.leadsMovablePartition(image, 2));
        assertTrue(BrokerLeadership.leadsMovablePartition(image, 1));
    }

    @Test
    void fencingAnExpiredBrokerRemovesItFromIsrsAndElects() {
        MetadataImage image = TestImages.builder().active(1, 2, 3).topic()
                .partition(0, List.of(2, 1, 3), List.of(2, 1, 3), 2)
                .partition(1, List.of(3, 2), List.of(3, 2), 3)
                .build();
        BrokerCommands.Fencing fencing = commands.fence(image, 2);
        assertEquals(1, fencing.moved());
        MetadataImage next = image.apply(fencing.records());
        assertTrue(next.broker(2).orElseThrow().fenced());
        assertEquals(1, partitionOf(next, 0).leader());
        assertEquals(List.of(1, 3), partitionOf(next, 0).isr());
        assertEquals(List.of(3), partitionOf(next, 1).isr());
    }
}
