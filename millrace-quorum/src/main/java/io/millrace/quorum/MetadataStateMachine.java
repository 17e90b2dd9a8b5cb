package io.millrace.quorum;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataPublisher;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of the metadata quorum: each log entry is one batch of metadata
 * records ({@link MetadataBatchCodec}), replayed in log order into this node's
 * {@link MetadataPublisher}. Snapshots are the image's records ({@link ImageRecords}) in a
 * CRC-protected {@link SnapshotFile} in Ratis' state machine directory.
 *
 * <p>Threads: Ratis calls {@link #applyTransaction}, {@link #takeSnapshot} and
 * {@link #reinitialize} from the division's single state-machine updater thread, so the
 * publisher is only ever written by that thread; {@link #query} comes from gRPC threads and is
 * handed to the quorum's query handler.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

    /** First byte of an apply result. */
    static final byte APPLIED = 0;
    static final byte FENCED = 1;
    static final byte REJECTED = 2;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final MetadataPublisher publisher;
    private final RecentBatches recent;
    private final CommittedCommandReplies commandReplies;
    private final Consumer<RaftPeerId> leaderChanged;
    private final LongSupplier committedIndex;
    /** When an applied index last reached the commit index (ms since the epoch). */
    private volatile long caughtUpAtMs = System.currentTimeMillis();
    private volatile Function<ByteString, CompletableFuture<Message>> queryHandler =
            request -> CompletableFuture.failedFuture(new IllegalStateException("metadata quorum not started"));

    /**
     * @param committedIndex this node's Raft commit index (-1 before its server started), read
     *                       after each entry is applied to note when it caught up
     */
    MetadataStateMachine(MetadataPublisher publisher, RecentBatches recent, CommittedCommandReplies commandReplies,
                         Consumer<RaftPeerId> leaderChanged, LongSupplier committedIndex) {
        this.publisher = publisher;
        this.recent = recent;
        this.commandReplies = commandReplies;
        this.leaderChanged = leaderChanged;
        this.committedIndex = committedIndex;
    }

    /** When the applied index last reached the commit index known here (ms since the epoch). */
    long caughtUpAtMs() {
        return caughtUpAtMs;
    }

    /** Every applied entry (metadata batch, Raft configuration or a leader's first entry) passes here. */
    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex applied) {
        boolean updated = super.updateLastAppliedTermIndex(applied);
        if (applied != null && applied.getIndex() >= committedIndex.getAsLong()) {
            caughtUpAtMs = System.currentTimeMillis();
        }
        return updated;
    }

    void setQueryHandler(Function<ByteString, CompletableFuture<Message>> handler) {
        this.queryHandler = handler;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            loadLatestSnapshot();
        }, IOException.class);
    }

    /**
     * Ratis pauses the state machine before it publishes a snapshot installed from the leader,
     * then reloads it ({@link #reinitialize}), and its updater thread insists on the PAUSED state:
     * BaseStateMachine's pause does nothing, and without this override the first snapshot
     * installation killed this node's Raft server (IllegalStateException in
     * StateMachineUpdater.reload), leaving the node out of the quorum with a frozen image.
     */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** Called after a snapshot was installed from the leader: the state is replaced by it. */
    @Override
    public void reinitialize() throws IOException {
        loadLatestSnapshot();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        if (snapshot.hasMd5()) {
            MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
        }
        SnapshotFile.Contents contents = SnapshotFile.read(file.toPath());
        publisher.reset(contents.records(), contents.recordCount());
        recent.reset(contents.recordCount());
        setLastAppliedTermIndex(snapshot.getTermIndex());
        log.info("Metadata quorum: loaded snapshot {} ({} records, record count {})", snapshot.getTermIndex(),
                contents.records().size(), contents.recordCount());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SingleFileSnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] result;
        try {
            MetadataBatchCodec.Batch batch =
                    MetadataBatchCodec.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
            if (batch.expectedTerm() >= 0 && batch.expectedTerm() != entry.getTerm()) {
                // appended by a controller of an earlier term through a later leader: never applied
                result = new byte[] {FENCED};
            } else {
                publisher.publish(batch.records());
                recent.add(publisher.image().recordCount(), batch.records());
                if (batch.requestId() != null) {
                    commandReplies.committed(batch.requestId(), batch.encodedReply());
                }
                result = new byte[] {APPLIED};
            }
        } catch (RuntimeException e) {
            // deterministic on every node (same bytes, same image): the batch is skipped everywhere
            log.error("Metadata quorum: skipping log entry {} that cannot be applied", TermIndex.valueOf(entry), e);
            result = new byte[] {REJECTED};
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result)));
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        MetadataImage image = publisher.image();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        SnapshotFile.write(file.toPath(), new SnapshotFile.Contents(last.getTerm(), last.getIndex(),
                image.recordCount(), ImageRecords.of(image)));
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        log.debug("Metadata quorum: took snapshot at {}", last);
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return queryHandler.apply(request.getContent());
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderChanged.accept(newLeaderId);
    }
}
