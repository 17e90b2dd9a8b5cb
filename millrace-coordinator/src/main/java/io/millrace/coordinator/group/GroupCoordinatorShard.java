package io.millrace.coordinator.group;

import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.classic.ClassicGroupType;
import io.millrace.coordinator.classic.ClassicGroups;
import io.millrace.coordinator.consumer.ConsumerGroups;
import io.millrace.coordinator.share.ShareGroups;
import io.millrace.coordinator.streams.StreamsGroups;
import io.millrace.coordinator.offsets.OffsetStore;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorShard;
import io.millrace.coordinator.runtime.TransactionMarker;
import java.util.List;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;

/**
 * The group coordinator state of one {@code __consumer_offsets} partition: committed offsets (key
 * type 1) and the groups of each {@link GroupType} (classic: key type 2; KIP-848 consumer groups:
 * key types 3 to 8; KIP-1071 streams groups: 17, 19 to 23; KIP-932 share groups: 10 and 11), kept in its {@link GroupTypes}, through which every API spanning group types
 * routes a group id. Lives on the partition's owner thread (see CoordinatorRuntime).
 *
 * <p>Write operations return records plus a response; {@link #replay} applies the records once
 * appended, on load and after each write alike. Offsets a transactional producer committed
 * (TxnOffsetCommit: records of its transactional batch) stay pending until its marker, which
 * {@link #replayEndTransactionMarker} applies.
 */
public final class GroupCoordinatorShard implements CoordinatorShard {
    static final String EXPIRY_TIMER = "offsets-expiry";

    private final Context context;
    private final GroupCoordinatorConfig config;
    private final OffsetStore offsets = new OffsetStore();
    private final ClassicGroups classic;
    private final ConsumerGroups consumer;
    private final StreamsGroups streams;
    private final ShareGroups share;
    private final GroupTypes types;
    private final OffsetOperations offsetOperations;
    private final GroupAdmin admin;
    private final TransactionalOffsetCommit transactionalCommit;

    public GroupCoordinatorShard(Context context, GroupCoordinatorConfig config, TopicsView topics,
                                 GroupTypeConfigs typeConfigs) {
        this(context, config, topics, typeConfigs, new GroupRebalances());
    }

    /** As above, counting the rebalances of this shard's groups in {@code rebalances}. */
    public GroupCoordinatorShard(Context context, GroupCoordinatorConfig config, TopicsView topics,
                                 GroupTypeConfigs typeConfigs, GroupRebalances rebalances) {
        this.context = context;
        this.config = config;
        this.consumer = new ConsumerGroups(typeConfigs.consumer(), topics, context.timer(), context.time(),
                rebalances.consumer());
        this.streams = new StreamsGroups(typeConfigs.streams(), topics, context.timer(), context.time(),
                rebalances.streams());
        this.share = new ShareGroups(typeConfigs.share(), topics, context.timer(), rebalances.share());
        this.classic = new ClassicGroups(context.time(), context.timer(), context.journal(), config,
                groupId -> consumer.contains(groupId) || streams.contains(groupId)
                        || share.contains(groupId)); // not a classic group's
        // classic first: it is the type of a group id no type holds yet
        this.types = new GroupTypes(List.of(new ClassicGroupType(classic), consumer, streams, share));
        this.offsetOperations = new OffsetOperations(offsets, classic, types, topics, config, context.time());
        this.admin = new GroupAdmin(offsets, types);
        this.transactionalCommit = new TransactionalOffsetCommit(types, topics, config, context.time());
    }

    @Override
    public void replay(long offset, long producerId, short producerEpoch, CoordinatorRecord record) {
        switch (record.keyType()) {
            case CoordinatorRecord.OFFSET_COMMIT -> offsets.replay(offset, producerId, record);
            default -> {
                GroupType type = types.forRecord(record.keyType());
                if (type != null) {
                    type.replay(record);
                }
                // else a key type from a newer version: leave it in the log, ignore it here.
            }
        }
    }

    /** Transactional offset commits (TxnOffsetCommit) take effect at COMMIT and vanish at ABORT. */
    @Override
    public void replayEndTransactionMarker(long offset, long producerId, short producerEpoch, TransactionMarker marker) {
        offsets.replayEndTransactionMarker(producerId, marker);
    }

    @Override
    public void onLoaded() {
        types.all().forEach(GroupType::onLoaded);
        scheduleExpiry();
    }

    @Override
    public void onUnloaded() {
        types.all().forEach(GroupType::onUnloaded);
    }

    public int partition() {
        return context.partition();
    }

    public OffsetStore offsets() {
        return offsets;
    }

    public ClassicGroups classicGroups() {
        return classic;
    }

    /** The KIP-848 consumer groups; their write operations run through GroupCoordinatorService.write. */
    public ConsumerGroups consumerGroups() {
        return consumer;
    }

    /** The KIP-1071 streams groups; their write operations run through GroupCoordinatorService.write. */
    public StreamsGroups streamsGroups() {
        return streams;
    }

    /** The KIP-932 share groups; their write operations run through GroupCoordinatorService.write. */
    public ShareGroups shareGroups() {
        return share;
    }

    /** Every group type of this shard. */
    public GroupTypes groupTypes() {
        return types;
    }

    public CoordinatorResult<OffsetCommitResponseData> commitOffsets(GroupRequestContext ctx, OffsetCommitRequestData request) {
        return offsetOperations.commit(ctx, request);
    }

    /** TxnOffsetCommit: records of the producer's transaction, pending until its marker. */
    public CoordinatorResult<TxnOffsetCommitResponseData> commitTransactionalOffsets(TxnOffsetCommitRequestData request) {
        return transactionalCommit.commit(request);
    }

    public OffsetFetchResponseGroup fetchOffsets(GroupRequestContext ctx, OffsetFetchRequestGroup request,
                                                 boolean requireStable) {
        return offsetOperations.fetch(ctx, request, requireStable);
    }

    public CoordinatorResult<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return offsetOperations.delete(request);
    }

    public List<ListedGroup> listGroups(List<String> statesFilter, List<String> typesFilter) {
        return admin.list(statesFilter, typesFilter);
    }

    public DescribedGroup describeGroup(String groupId, short apiVersion) {
        return admin.describe(groupId, apiVersion);
    }

    public CoordinatorResult<List<DeletableGroupResult>> deleteGroups(List<String> groupIds) {
        return admin.delete(groupIds);
    }

    /** The expiry pass, as the timer runs it; public for tests. */
    public CoordinatorResult<Void> expireOffsets() {
        return new CoordinatorResult<>(offsetOperations.expire(), null);
    }

    private void scheduleExpiry() {
        context.timer().schedule(EXPIRY_TIMER, config.offsetsRetentionCheckIntervalMs(), () -> {
            scheduleExpiry();
            return expireOffsets();
        });
    }
}
