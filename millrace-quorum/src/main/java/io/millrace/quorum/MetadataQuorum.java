package io.millrace.quorum;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.log.MetadataApplyPosition;
import io.millrace.metadata.log.CommandOutcome;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.metadata.records.MetadataRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated metadata log of a cluster: a Raft group (Apache Ratis, gRPC) of the voters in
 * {@code controller.quorum.voters}. Every committed batch is replayed, on every voter, into that
 * node's {@link MetadataPublisher}; a node that is not a voter keeps its publisher current with a
 * {@link RemoteMetadataFollower}.
 *
 * <p>Lifecycle: construct, {@link #start()}, then {@link #setLocalController} once the node's
 * controller exists (forwarded commands are refused with NOT_CONTROLLER until then),
 * {@link #close()}. Thread-safe: appends come from the controller thread, reads from anywhere;
 * Ratis replays on its state-machine updater thread.
 */
public final class MetadataQuorum implements MetadataLog {
    private static final Logger log = LoggerFactory.getLogger(MetadataQuorum.class);
    /** How many recently applied records the leader keeps for non-voters to catch up from. */
    private static final int RECENT_RECORDS = 50_000;
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    static {
        // Ratis logs every election and segment roll at INFO: keep it quiet unless the node says otherwise
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
        // It logs a stack trace for every vote and append refused by a voter of another cluster
        // (GroupMismatchException), several a second; QuorumProbe says that in one line a minute.
        System.getProperties().putIfAbsent(
                "org.slf4j.simpleLogger.log.org.apache.ratis.grpc.server.GrpcServerProtocolService", "error");
    }

    private final QuorumConfig config;
    private final InetSocketAddress listenAddress;
    /** gRPC parameters of every Raft server and client here: TLS when the controller listener is SSL. */
    private final Parameters rpc;
    private final MetadataPublisher publisher;
    private final RaftGroup group;
    private final RaftPeerId selfId;
    private final RecentBatches recent = new RecentBatches(RECENT_RECORDS);
    private final CommittedCommandReplies commandReplies = new CommittedCommandReplies();
    private final MetadataStateMachine stateMachine;
    private final ClientId appendClientId = ClientId.randomId();
    private final AtomicLong appendCallIds = new AtomicLong();
    private final AtomicReference<String> lastLoggedLeader = new AtomicReference<>();
    private volatile ControllerChannel localController;
    private volatile RaftServer server;
    private volatile RaftServer.Division division;
    private volatile RaftClient client;
    private volatile RemoteMetadataFollower follower;
    private volatile QuorumProbe probe;
    private volatile boolean closed;

    static {
        // Ratis ends the JVM (System.exit) when its server cannot start, e.g. the port is taken;
        // a broker should fail its start-up with a message instead (and a test JVM survive).
        org.apache.ratis.util.ExitUtils.disableSystemExit();
    }

    public MetadataQuorum(QuorumConfig config, MetadataPublisher publisher) {
        this(config, publisher, null);
    }

    /**
     * A quorum member whose Raft server binds {@code listenAddress} (the node's controller
     * listener) rather than its own entry in the voters, which is then only how the others reach
     * it (through a proxy, say), as Kafka's controller.quorum.voters are. Null: bind the voter address.
     */
    public MetadataQuorum(QuorumConfig config, MetadataPublisher publisher, InetSocketAddress listenAddress) {
        this(config, publisher, listenAddress, null);
    }

    /** As above, speaking mutual TLS to the other nodes when {@code tls} is not null. */
    public MetadataQuorum(QuorumConfig config, MetadataPublisher publisher, InetSocketAddress listenAddress,
                          QuorumTls tls) {
        this.rpc = RaftSettings.rpc(tls);
        this.config = config;
        this.listenAddress = listenAddress;
        this.publisher = publisher;
        this.selfId = peerId(config.nodeId());
        this.group = RaftGroup.valueOf(groupId(config.clusterId()), config.voters().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> RaftPeer.newBuilder().setId(peerId(e.getKey())).setAddress(address(e.getValue())).build())
                .toList());
        this.stateMachine = new MetadataStateMachine(publisher, recent, commandReplies, this::onLeaderChanged,
                this::committedIndex);
        stateMachine.setQueryHandler(new LeaderQueryHandler(publisher, recent, commandReplies, () -> localController,
                this::describe, new QueryMessages.Identity(config.nodeId(), config.clusterId()))::handle);
    }

    /** The Raft group id of a cluster: {@code UUID.nameUUIDFromBytes("millrace:" + clusterId)}. */
    public static RaftGroupId groupId(String clusterId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("millrace:" + clusterId).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Starts this node's Raft server (a voter: formats its storage when new, else recovers it and
     * replays the latest snapshot and the log after it into the publisher) and the client that
     * reaches the leader. A node that is not a voter starts a {@link RemoteMetadataFollower}.
     */
    public synchronized void start() throws IOException {
        if (client != null || closed) {
            throw new IllegalStateException("Metadata quorum already started or closed");
        }
        if (config.voter()) {
            InetSocketAddress own = listenAddress != null ? listenAddress : config.voters().get(config.nodeId());
            Files.createDirectories(config.dataDir());
            boolean isNew = !Files.exists(config.dataDir().resolve(group.getGroupId().getUuid().toString()));
            RaftServer raftServer = RaftServer.newBuilder()
                    .setServerId(selfId)
                    .setGroup(group)
                    .setStateMachine(stateMachine)
                    .setProperties(RaftSettings.server(config, bindHost(own), own.getPort()))
                    .setParameters(rpc)
                    .setOption(isNew ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
                    .build();
            try {
                raftServer.start();
            } catch (org.apache.ratis.util.ExitUtils.ExitException e) {
                raftServer.close();
                throw new IOException("The metadata quorum cannot listen on " + own + ": "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
            }
            server = raftServer;
            division = raftServer.getDivision(group.getGroupId());
            log.info("Metadata quorum: node {} started as a voter of {} ({}), {} storage in {}", config.nodeId(),
                    config.voters().keySet(), group.getGroupId(), isNew ? "new" : "recovered", config.dataDir());
        }
        client = RaftClient.newBuilder()
                .setProperties(RaftSettings.client(DEFAULT_COMMAND_TIMEOUT))
                .setParameters(rpc)
                .setRaftGroup(group)
                .setRetryPolicy(RaftSettings.clientRetryPolicy())
                .build();
        if (!config.voter()) {
            follower = new RemoteMetadataFollower(this, publisher);
            follower.start();
        }
        if (config.voters().size() > 1 || !config.voter()) {
            probe = new QuorumProbe(config, group, rpc);
            probe.start();
        }
    }

    /** The controller that forwarded commands run on when this node leads. */
    public void setLocalController(ControllerChannel controller) {
        this.localController = controller;
    }

    /** A channel that reaches the active controller from this node, whichever node that is. */
    public ControllerChannel controllerChannel() {
        return new QuorumControllerChannel(this, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Appends one batch; completes once it is committed and replayed here. Only the leader may
     * append: elsewhere this fails with {@link NotControllerException}. The batch carries the
     * leader's current term, and every node ignores it if it is committed in another term.
     */
    @Override
    public CompletableFuture<Void> append(List<MetadataRecord> records) {
        return appendBatch(term -> MetadataBatchCodec.encode(term, records));
    }

    /** As {@link #append(List)}; the batch also carries the forwarded command's outcome, for every node to remember. */
    @Override
    public CompletableFuture<Void> append(List<MetadataRecord> records, CommandOutcome outcome) {
        byte[] reply;
        try {
            reply = RecordCodec.encode(outcome.reply());
        } catch (RuntimeException e) {
            log.warn("Metadata quorum: the reply to request {} cannot be encoded; appended without it: {}",
                    outcome.requestId(), e.toString());
            return append(records);
        }
        return appendBatch(term -> MetadataBatchCodec.encode(term, records, outcome.requestId(), reply));
    }

    /** Appends the batch {@code batch} encodes for the leader's current term. */
    private CompletableFuture<Void> appendBatch(java.util.function.LongFunction<byte[]> batch) {
        RaftServer.Division d = division;
        if (d == null || closed) {
            return CompletableFuture.failedFuture(new NotControllerException(
                    "Node " + config.nodeId() + " is not a running voter of the metadata quorum"));
        }
        DivisionInfo info = d.getInfo();
        if (!info.isLeader()) {
            return CompletableFuture.failedFuture(notLeader());
        }
        long term = info.getCurrentTerm();
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(appendClientId)
                .setServerId(selfId)
                .setGroupId(group.getGroupId())
                .setCallId(appendCallIds.incrementAndGet())
                .setMessage(Message.valueOf(ByteString.copyFrom(batch.apply(term))))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new NotControllerException("Metadata append failed: " + e));
        }
        return reply.handle((r, error) -> {
            if (error != null) {
                throw new CompletionException(new NotControllerException("Metadata append failed: " + error));
            }
            if (!r.isSuccess()) {
                throw new CompletionException(new NotControllerException("Metadata append failed: " + r.getException()));
            }
            byte status = r.getMessage().getContent().byteAt(0);
            if (status == MetadataStateMachine.FENCED) {
                throw new CompletionException(new NotControllerException(
                        "Metadata append of term " + term + " was committed in a later term and ignored"));
            } else if (status == MetadataStateMachine.REJECTED) {
                throw new CompletionException(new IllegalStateException("The metadata batch could not be replayed"));
            }
            return null;
        });
    }

    /**
     * Whether this node is the active controller: the leader, and leader-ready, which in Ratis
     * means the first entry of its term has been applied here, hence every record committed
     * before this term has been replayed into the publisher.
     */
    @Override
    public boolean isActive() {
        RaftServer.Division d = division;
        if (d == null || closed) {
            return false;
        }
        DivisionInfo info = d.getInfo();
        return info.isLeader() && info.isLeaderReady();
    }

    /** The leader's node id as this node knows it. */
    public OptionalInt leaderId() {
        RaftServer.Division d = division;
        RaftPeerId leader = d == null ? null : d.getInfo().getLeaderId();
        return leader == null ? OptionalInt.empty() : OptionalInt.of(nodeId(leader));
    }

    /**
     * A voter: its state machine's last applied Raft index against its Raft log's commit index
     * (one offset space, DescribeQuorum's high watermark's). A node that is not a voter: its
     * image's record count against the leader's, as its last fetch from the leader saw it.
     */
    @Override
    public Optional<MetadataApplyPosition> applyPosition() {
        RemoteMetadataFollower remote = follower;
        if (remote != null) {
            return Optional.of(remote.position());
        }
        RaftServer.Division d = division;
        TermIndex applied = stateMachine.getLastAppliedTermIndex();
        if (d == null || closed || applied == null) {
            return Optional.empty();
        }
        return Optional.of(new MetadataApplyPosition(applied.getIndex(), d.getRaftLog().getLastCommittedIndex(),
                stateMachine.caughtUpAtMs()));
    }

    private long committedIndex() {
        RaftServer.Division d = division;
        return d == null ? -1 : d.getRaftLog().getLastCommittedIndex();
    }

    /** The quorum as this node sees it; follower offsets are only known when this node leads. */
    public QuorumInfo describe() {
        return RatisQuorumInfo.describe(config, division);
    }

    @Override
    public CompletableFuture<Long> caughtUp() {
        return MetadataCatchUp.await(this, publisher);
    }

    /** {@link #describe()} as the leader sees it, asked through the quorum when this node does not lead. */
    public CompletableFuture<QuorumInfo> describeAtLeader() {
        RaftServer.Division d = division;
        if (d != null && d.getInfo().isLeader()) {
            return CompletableFuture.completedFuture(describe());
        }
        return query(QueryMessages.describe()).thenApply(reply -> {
            if (reply.error() != org.apache.kafka.common.protocol.Errors.NONE) {
                throw new CompletionException(reply.error().exception(reply.message()));
            }
            return RecordCodec.decode(QuorumInfo.class, reply.payload());
        });
    }

    /**
     * Sends a read-only request; Ratis delivers it to the leader's state machine. A voter sends it
     * straight to the leader its own Raft server follows: that view changes the moment an election
     * ends, while the client's leader cache would keep trying a leader that froze (SIGSTOP) until its
     * request timed out, and meanwhile the new controller would fence every broker for silence.
     */
    CompletableFuture<QueryMessages.Reply> query(Message message) {
        RaftClient c = client;
        if (c == null || closed) {
            return CompletableFuture.failedFuture(new NotControllerException("The metadata quorum client is closed"));
        }
        RaftServer.Division d = division;
        RaftPeerId leader = d == null ? null : d.getInfo().getLeaderId();
        CompletableFuture<RaftClientReply> sent = leader != null
                ? c.async().sendReadOnlyUnordered(message, leader) : c.async().sendReadOnlyUnordered(message);
        return sent.thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new CompletionException(reply.getException());
            }
            return QueryMessages.readReply(reply.getMessage().getContent());
        });
    }

    boolean isClosed() {
        return closed;
    }

    QuorumConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RemoteMetadataFollower f = follower;
        if (f != null) {
            f.close();
        }
        QuorumProbe p = probe;
        if (p != null) {
            p.close();
        }
        closeQuietly(client, "client");
        closeQuietly(server, "server");
        division = null;
    }

    private NotControllerException notLeader() {
        OptionalInt leader = leaderId();
        return new NotControllerException("Node " + config.nodeId() + " is not the metadata quorum leader"
                + (leader.isPresent() ? " (node " + leader.getAsInt() + " is)" : " (no leader now)"));
    }

    private void onLeaderChanged(RaftPeerId leader) {
        if (leader == null) {
            return;
        }
        RaftServer.Division d = division;
        long term = d == null ? -1 : d.getInfo().getCurrentTerm();
        String key = leader + "@" + term;
        if (!key.equals(lastLoggedLeader.getAndSet(key))) {
            log.info("Metadata quorum: node {} is now the leader (term {})", leader, term);
        }
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Metadata quorum: closing the Raft {} failed", what, e);
        }
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    static int nodeId(RaftPeerId peerId) {
        return Integer.parseInt(peerId.toString());
    }

    private static String address(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Binds the voter's own host when it is a loopback address (tests, one machine), else every interface. */
    private static String bindHost(InetSocketAddress own) {
        try {
            return InetAddress.getByName(own.getHostString()).isLoopbackAddress() ? own.getHostString() : "0.0.0.0";
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("Cannot resolve this voter's host " + own.getHostString(), e);
        }
    }
}
