package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.BrokerHeartbeat;
import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.BrokerRegistrationRecord;
import io.millrace.metadata.records.BrokerStateRecord;
import io.millrace.metadata.records.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * Broker registration, heartbeats and fencing, as pure functions of the image: they return the
 * records to write and the reply. Heartbeat times are not here (see {@link BrokerLiveness}).
 * Stateless; run on the controller thread.
 */
final class BrokerCommands {
    private final ControllerSettings settings;

    BrokerCommands(ControllerSettings settings) {
        this.settings = settings;
    }

    /**
     * A new broker epoch, fencing an earlier incarnation of the same id first. The same
     * incarnation registering again (a retry) gets its existing epoch back.
     */
    CommandResult<RegisterBroker.Reply> register(MetadataImage image, RegisterBroker command) {
        BrokerImage existing = image.brokers().get(command.brokerId());
        if (existing != null && existing.incarnationId().equals(command.incarnationId())) {
            return CommandResult.reply(new RegisterBroker.Reply(ApiError.NONE, existing.brokerEpoch()));
        }
        List<MetadataRecord> records = new ArrayList<>();
        String event = "Registered broker " + command.brokerId();
        if (existing != null) {
            Fencing fencing = fence(image, existing.brokerId());
            records.addAll(fencing.records());
            event = "Broker " + command.brokerId() + " registered again as a new incarnation; fenced the old one"
                    + fencing.summary();
        }
        long epoch = nextBrokerEpoch(image);
        records.add(new BrokerRegistrationRecord(command.brokerId(), epoch, command.incarnationId(),
                command.endpoints(), command.rack(), true));
        return new CommandResult<>(records, new RegisterBroker.Reply(ApiError.NONE, epoch),
                event + " with epoch " + epoch);
    }

    /** Strictly increasing across the cluster: past every epoch in the image and its record count. */
    static long nextBrokerEpoch(MetadataImage image) {
        long maxEpoch = image.brokers().values().stream().mapToLong(BrokerImage::brokerEpoch).max().orElse(0L);
        return Math.max(maxEpoch + 1, image.recordCount());
    }

    /**
     * Unfences a fenced broker once its metadata has reached {@code catchUpOffset} (and elects
     * leaders it makes possible), or, when it asks to shut down, marks it in controlled shutdown and
     * moves its leadership away. A broker still behind stays fenced: it would otherwise lead or
     * rejoin ISRs from a stale image. A broker whose logs cannot be written is fenced, see
     * {@link #storageFailing}.
     */
    CommandResult<BrokerHeartbeat.Reply> heartbeat(MetadataImage image, BrokerHeartbeat command, long catchUpOffset) {
        BrokerImage broker = image.brokers().get(command.brokerId());
        if (broker == null || broker.brokerEpoch() != command.brokerEpoch()) {
            return CommandResult.reply(new BrokerHeartbeat.Reply(ApiError.of(Errors.STALE_BROKER_EPOCH,
                    broker == null ? "Broker " + command.brokerId() + " is not registered"
                            : "Broker epoch " + command.brokerEpoch() + " is not the registered "
                            + broker.brokerEpoch()), true, false, false));
        }
        if (command.wantShutdown()) {
            return broker.fenced() ? CommandResult.reply(new BrokerHeartbeat.Reply(ApiError.NONE, true,
                    broker.inControlledShutdown(), true)) : shutDown(image, broker);
        }
        if (command.storageFailing() && !broker.inControlledShutdown()) {
            return storageFailing(image, broker);
        }
        if (!broker.fenced()) {
            return CommandResult.reply(new BrokerHeartbeat.Reply(ApiError.NONE, false,
                    broker.inControlledShutdown(), false));
        }
        if (command.metadataOffset() < catchUpOffset) {
            return CommandResult.reply(new BrokerHeartbeat.Reply(ApiError.NONE, true, false, false));
        }
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new BrokerStateRecord(broker.brokerId(), broker.brokerEpoch(), false, false));
        MetadataImage unfenced = image.apply(records);
        BrokerLeadership.Changes elected = BrokerLeadership.electLeaderless(unfenced, settings,
                replica -> replica == broker.brokerId());
        records.addAll(elected.records());
        return new CommandResult<>(records, new BrokerHeartbeat.Reply(ApiError.NONE, false, false, false),
                "Unfenced broker " + broker.brokerId() + (elected.moved() == 0 ? ""
                        : "; it made leaders possible for " + partitions(elected.moved())));
    }

    /**
     * The broker's logs cannot be written: fences it (moving its leadership to other ISR members)
     * while another broker is active to take over; alone, it keeps what it leads, whose writes fail
     * with KAFKA_STORAGE_ERROR until space returns, and reads go on. A fenced broker stays fenced.
     */
    private CommandResult<BrokerHeartbeat.Reply> storageFailing(MetadataImage image, BrokerImage broker) {
        if (broker.fenced()) {
            return CommandResult.reply(new BrokerHeartbeat.Reply(ApiError.NONE, true, false, false));
        }
        boolean othersActive = image.brokers().values().stream()
                .anyMatch(other -> other.brokerId() != broker.brokerId() && other.isActive());
        if (!othersActive) {
            return CommandResult.reply(new BrokerHeartbeat.Reply(ApiError.NONE, false, false, false));
        }
        Fencing fencing = fence(image, broker.brokerId());
        return new CommandResult<>(fencing.records(), new BrokerHeartbeat.Reply(ApiError.NONE, true, false, false),
                "Fenced broker " + broker.brokerId() + ": its logs cannot be written (a full or failed disk)"
                        + fencing.summary());
    }

    private CommandResult<BrokerHeartbeat.Reply> shutDown(MetadataImage image, BrokerImage broker) {
        List<MetadataRecord> records = new ArrayList<>();
        if (!broker.inControlledShutdown()) {
            records.add(new BrokerStateRecord(broker.brokerId(), broker.brokerEpoch(), false, true));
        }
        MetadataImage shuttingDown = image.apply(records);
        BrokerLeadership.Changes moves = BrokerLeadership.shutDown(shuttingDown, broker.brokerId());
        records.addAll(moves.records());
        MetadataImage after = shuttingDown.apply(moves.records());
        boolean done = !BrokerLeadership.leadsMovablePartition(after, broker.brokerId());
        String event = broker.inControlledShutdown() && moves.records().isEmpty() ? null
                : "Broker " + broker.brokerId() + " is in controlled shutdown; moved leadership of "
                + partitions(moves.moved()) + (done ? "; it may shut down" : "");
        return new CommandResult<>(records, new BrokerHeartbeat.Reply(ApiError.NONE, false, true, done), event);
    }

    /** The records that fence {@code brokerId} (unfenced or not) and move its leadership away. */
    Fencing fence(MetadataImage image, int brokerId) {
        BrokerImage broker = image.brokers().get(brokerId);
        List<MetadataRecord> records = new ArrayList<>();
        if (!broker.fenced() || broker.inControlledShutdown()) {
            records.add(new BrokerStateRecord(brokerId, broker.brokerEpoch(), true, false));
        }
        BrokerLeadership.Changes changes = BrokerLeadership.fenceOut(image.apply(records), brokerId, settings);
        records.addAll(changes.records());
        return new Fencing(records, changes.moved(), changes.leaderless());
    }

    /** The records of a fencing and what they did to leadership. */
    record Fencing(List<MetadataRecord> records, int moved, int leaderless) {
        String summary() {
            return "; moved leadership of " + partitions(moved)
                    + (leaderless > 0 ? "; " + partitions(leaderless) + " left without a leader (no eligible replica)" : "");
        }
    }

    /** "1 partition", "14 partitions". */
    static String partitions(int count) {
        return count + (count == 1 ? " partition" : " partitions");
    }
}
