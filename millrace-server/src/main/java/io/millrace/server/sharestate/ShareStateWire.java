package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateBatch;
import io.millrace.coordinator.sharestate.ShareStateResult;
import java.util.List;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Share-partition state between its wire form (ReadShareGroupState's result, WriteShareGroupState's
 * partition data) and a {@link ShareSnapshot}. A state never written is start offset -1 on the
 * wire. Stateless.
 */
public final class ShareStateWire {
    private ShareStateWire() {
    }

    static ReadShareGroupStateResponseData.PartitionResult readResult(int partition, ShareStateResult result) {
        ReadShareGroupStateResponseData.PartitionResult wire = new ReadShareGroupStateResponseData.PartitionResult()
                .setPartition(partition).setErrorCode(result.error().code());
        ShareSnapshot snapshot = result.snapshot();
        if (result.error() != Errors.NONE || snapshot == null) {
            return wire.setStartOffset(-1).setStateEpoch(0);
        }
        wire.setStateEpoch(snapshot.stateEpoch()).setStartOffset(snapshot.startOffset());
        snapshot.batches().forEach(b -> wire.stateBatches().add(new ReadShareGroupStateResponseData.StateBatch()
                .setFirstOffset(b.firstOffset()).setLastOffset(b.lastOffset()).setDeliveryState(b.state())
                .setDeliveryCount(b.deliveryCount())));
        return wire;
    }

    /** The snapshot a read answered, or null for a state never written; {@code leaderEpoch} is the reader's. */
    public static ShareStateResult fromRead(ReadShareGroupStateResponseData.PartitionResult wire, int leaderEpoch) {
        Errors error = Errors.forCode(wire.errorCode());
        if (error != Errors.NONE) {
            return new ShareStateResult(error, null);
        }
        if (wire.startOffset() < 0 && wire.stateBatches().isEmpty()) {
            return new ShareStateResult(Errors.NONE, null);
        }
        List<ShareStateBatch> batches = wire.stateBatches().stream().map(b -> new ShareStateBatch(b.firstOffset(),
                b.lastOffset(), b.deliveryState(), b.deliveryCount())).toList();
        return new ShareStateResult(Errors.NONE, new ShareSnapshot(wire.stateEpoch(), leaderEpoch, wire.startOffset(),
                batches));
    }

    public static WriteShareGroupStateRequestData.PartitionData toWrite(int partition, ShareSnapshot snapshot) {
        WriteShareGroupStateRequestData.PartitionData wire = new WriteShareGroupStateRequestData.PartitionData()
                .setPartition(partition).setStateEpoch(snapshot.stateEpoch()).setLeaderEpoch(snapshot.leaderEpoch())
                .setStartOffset(snapshot.startOffset());
        snapshot.batches().forEach(b -> wire.stateBatches().add(new WriteShareGroupStateRequestData.StateBatch()
                .setFirstOffset(b.firstOffset()).setLastOffset(b.lastOffset()).setDeliveryState(b.state())
                .setDeliveryCount(b.deliveryCount())));
        return wire;
    }

    static ShareSnapshot fromWrite(WriteShareGroupStateRequestData.PartitionData wire) {
        return new ShareSnapshot(wire.stateEpoch(), wire.leaderEpoch(), wire.startOffset(),
                wire.stateBatches().stream().map(b -> new ShareStateBatch(b.firstOffset(), b.lastOffset(),
                        b.deliveryState(), b.deliveryCount())).toList());
    }
}
