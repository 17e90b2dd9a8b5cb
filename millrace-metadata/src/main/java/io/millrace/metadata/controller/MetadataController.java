package io.millrace.metadata.controller;

import io.millrace.common.Time;
import io.millrace.metadata.controller.command.AllocateProducerIds;
import io.millrace.metadata.controller.command.AlterClientQuotas;
import io.millrace.metadata.controller.command.AlterConfigs;
import io.millrace.metadata.controller.command.AlterPartition;
import io.millrace.metadata.controller.command.AlterReassignments;
import io.millrace.metadata.controller.command.AlterScramCredentials;
import io.millrace.metadata.controller.command.BrokerHeartbeat;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.controller.command.CreateAcls;
import io.millrace.metadata.controller.command.CreatePartitions;
import io.millrace.metadata.controller.command.CreateTopics;
import io.millrace.metadata.controller.command.DeleteAcls;
import io.millrace.metadata.controller.command.DeleteTopics;
import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.BootstrapRecords;
import io.millrace.metadata.log.CommandOutcome;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.MetadataRecord;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active controller's logic: turns commands into records, validated against this node's
 * committed image, appends them to the {@link MetadataLog} and replies once they are committed
 * and replayed into the {@link MetadataView}. The controller never changes the image itself.
 * Also fences brokers whose session expired, elects leaders for leaderless partitions, and
 * (auto.leader.rebalance.enable) moves leadership back to preferred replicas.
 *
 * <p>Threads: one, "metadata-controller", runs every command and periodic task in order, one at
 * a time, and owns the heartbeat times. Each write waits for its commit before the next command
 * runs, so every command sees the effects of the ones before it. While {@code log.isActive()} is
 * false (another node's controller is active) commands fail with
 * {@link NotControllerException} and periodic tasks do nothing.
 *
 * <p>Lifecycle: starts its thread and periodic tasks when constructed; {@link #close} stops them
 * (commands already queued still run). It does not close the log or the view: their owner does.
 */
public final class MetadataController implements ControllerChannel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataController.class);
    static final long SESSION_CHECK_INTERVAL_MS = 200;
    static final long APPEND_TIMEOUT_MS = 30_000;
    /**
     * A session check this much later than scheduled means this controller itself did not run
     * (the process was paused, or starved): the silence it saw is its own, so sessions start afresh.
     */
    static final long SELF_STALL_MS = 2_000;

    private final MetadataLog metadataLog;
    private final MetadataView view;
    private final ControllerSettings settings;
    private final Time time;
    private final TopicCommands topicCommands;
    private final BrokerCommands brokerCommands;
    private final BrokerLiveness liveness = new BrokerLiveness();
    /** Records a new cluster's metadata starts with (millrace storage format's bootstrap records). */
    private final List<MetadataRecord> bootstrap;
    private final ScheduledThreadPoolExecutor thread;
    /** Whether this controller was active at its last look; controller thread only. */
    private boolean active;
    /** When the periodic session check last ran (System.nanoTime), 0 before; controller thread only. */
    private long lastSessionCheckNanos;

    public MetadataController(MetadataLog log, MetadataView view, ControllerSettings settings,
                              TopicConfigValidator validator, Time time) {
        this(log, view, settings, validator, time, List.of());
    }

    /**
     * With {@code bootstrap}: records this controller appends first if it becomes active while the
     * metadata log is still empty (a new cluster), before any command; see {@link BootstrapRecords}.
     */
    public MetadataController(MetadataLog log, MetadataView view, ControllerSettings settings,
                              TopicConfigValidator validator, Time time, List<MetadataRecord> bootstrap) {
        this.bootstrap = List.copyOf(bootstrap);
        this.metadataLog = log;
        this.view = view;
        this.settings = settings;
        this.time = time;
        this.topicCommands = new TopicCommands(settings, validator);
        this.brokerCommands = new BrokerCommands(settings);
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "metadata-controller");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.scheduleWithFixedDelay(() -> periodic("session check", this::scheduledSessionCheck),
                SESSION_CHECK_INTERVAL_MS, SESSION_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        if (settings.autoLeaderRebalanceEnable()) {
            thread.scheduleWithFixedDelay(() -> periodic("leader rebalance", this::rebalanceLeaders),
                    settings.leaderImbalanceCheckIntervalMs(), settings.leaderImbalanceCheckIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** This node's committed image (the view's); any thread. */
    public MetadataImage image() {
        return view.image();
    }

    @Override
    public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command) {
        return submit(command, null);
    }

    /** {@inheritDoc} {@code requestId} null: a command of this node, with no outcome to keep. */
    @Override
    public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command, String requestId) {
        return onThread(() -> {
            requireActive();
            CommandResult<? extends Record> result = decide(view.image(), command);
            write(result.records(), result.event(),
                    requestId == null ? null : new CommandOutcome(requestId, result.reply()));
            if (command instanceof RegisterBroker register && !result.records().isEmpty()) {
                liveness.registered(register.brokerId(), view.image().recordCount());
            }
            return command.replyType().cast(result.reply());
        });
    }

    /**
     * The process of broker {@code brokerId} at {@code brokerEpoch} exited ({@code evidence}, e.g. its
     * listener refused a connection after one had been open): fences it now instead of after the
     * session timeout. Does nothing (completes false) unless this controller is active and that
     * incarnation is still registered and unfenced or in controlled shutdown.
     */
    public CompletableFuture<Boolean> fenceExitedBroker(int brokerId, long brokerEpoch, String evidence) {
        return onThread(() -> {
            if (!isActiveNow()) {
                return false;
            }
            MetadataImage image = view.image();
            BrokerImage broker = image.brokers().get(brokerId);
            if (broker == null || broker.brokerEpoch() != brokerEpoch
                    || (broker.fenced() && !broker.inControlledShutdown())) {
                return false;
            }
            BrokerCommands.Fencing fencing = brokerCommands.fence(image, brokerId);
            write(fencing.records(), "Fenced broker " + brokerId + ": its process exited (" + evidence + ")"
                    + fencing.summary());
            return true;
        });
    }

    /** Runs the session check now, on the controller thread; completes with how many brokers it fenced. */
    CompletableFuture<Integer> checkSessionsNow() {
        return onThread(this::checkSessions);
    }

    /** Runs the preferred-leader rebalance now; completes with how many leaders it moved. */
    CompletableFuture<Integer> rebalanceLeadersNow() {
        return onThread(this::rebalanceLeaders);
    }

    private CommandResult<? extends Record> decide(MetadataImage image, ControllerCommand<?> command) {
        return switch (command) {
            case CreateTopics c -> {
                CommandResult<List<CreateTopicResult>> r = topicCommands.createTopics(image, c.topics(), c.validateOnly());
                yield new CommandResult<>(r.records(), new CreateTopics.Reply(r.reply()));
            }
            case DeleteTopics c -> topicCommands.deleteTopics(image, c.topicIds());
            case CreatePartitions c -> topicCommands.createPartitions(image, c.topic(), c.totalCount(),
                    c.assignments(), c.validateOnly());
            case AlterConfigs c -> ClusterCommands.alterConfigs(image, c);
            case AlterScramCredentials c -> ScramCommands.alter(image, c);
            case CreateAcls c -> AclCommands.create(image, c);
            case DeleteAcls c -> AclCommands.delete(image, c);
            case AlterClientQuotas c -> ClientQuotaCommands.alter(image, c);
            case AllocateProducerIds c -> ClusterCommands.allocateProducerIds(image, c);
            case RegisterBroker c -> {
                liveness.heartbeat(c.brokerId(), time.milliseconds());
                yield brokerCommands.register(image, c);
            }
            case BrokerHeartbeat c -> {
                CommandResult<BrokerHeartbeat.Reply> r = brokerCommands.heartbeat(image, c,
                        liveness.catchUpOffset(c.brokerId()));
                if (r.reply().error().isSuccess()) {
                    liveness.heartbeat(c.brokerId(), time.milliseconds());
                }
                yield r;
            }
            case AlterPartition c -> AlterPartitionCommand.alter(image, c, settings);
            case ElectLeaders c -> ElectionCommands.elect(image, c);
            case AlterReassignments c -> ReassignmentCommands.alter(image, c, settings);
        };
    }

    /**
     * The periodic session check, unless this process itself stalled since the previous one (a
     * SIGSTOP, a long GC): then the brokers' silence is ours, and every session starts afresh instead
     * of this controller fencing every broker the moment it runs again. Measured on the real
     * monotonic clock, because it is this process's own scheduling that is in question.
     */
    private int scheduledSessionCheck() {
        long nowNanos = System.nanoTime();
        long sinceLastMs = lastSessionCheckNanos == 0 ? 0 : (nowNanos - lastSessionCheckNanos) / 1_000_000;
        lastSessionCheckNanos = nowNanos;
        if (sinceLastMs > SESSION_CHECK_INTERVAL_MS + SELF_STALL_MS && isActiveNow()) {
            liveness.restartSessions(view.image().brokers().keySet(), time.milliseconds());
            log.warn("The controller did not run for {} ms (was this process paused?); every broker's session "
                    + "starts afresh", sinceLastMs);
            return 0;
        }
        return checkSessions();
    }

    /** Fences unfenced brokers silent for longer than the session timeout, then elects leaders where it can. */
    private int checkSessions() {
        if (!isActiveNow()) {
            return 0;
        }
        int fenced = 0;
        long now = time.milliseconds();
        for (BrokerLiveness.Expired expired : liveness.expired(view.image(), now, settings.brokerSessionTimeoutMs())) {
            MetadataImage image = view.image();
            BrokerImage broker = image.brokers().get(expired.brokerId());
            if (broker == null || broker.fenced()) {
                continue;
            }
            BrokerCommands.Fencing fencing = brokerCommands.fence(image, expired.brokerId());
            write(fencing.records(), "Fenced broker " + expired.brokerId() + ": no heartbeat for "
                    + expired.silentMs() + " ms" + fencing.summary());
            fenced++;
        }
        BrokerLeadership.Changes elected = BrokerLeadership.electLeaderless(view.image(), settings, replica -> true);
        if (!elected.records().isEmpty()) {
            write(elected.records(), "Elected leaders for " + BrokerCommands.partitions(elected.records().size()) + " that had none");
        }
        return fenced;
    }

    private int rebalanceLeaders() {
        if (!isActiveNow()) {
            return 0;
        }
        List<MetadataRecord> records = ElectionCommands.rebalance(view.image());
        if (!records.isEmpty()) {
            write(records, "Moved leadership of " + BrokerCommands.partitions(records.size()) + " back to the preferred replica");
        }
        return records.size();
    }

    private boolean isActiveNow() {
        if (!metadataLog.isActive()) {
            active = false;
            return false;
        }
        requireActive();
        return true;
    }

    private void requireActive() {
        if (!metadataLog.isActive()) {
            active = false;
            throw new NotControllerException("This node's controller is not the active one");
        }
        if (!active) {
            MetadataImage image = view.image();
            if (image.recordCount() == 0 && !bootstrap.isEmpty()) {
                write(bootstrap, "A new cluster: wrote the " + bootstrap.size() + " bootstrap record(s) of "
                        + BootstrapRecords.FILE_NAME + " (millrace storage format --add-scram) into its metadata");
                image = view.image();
            }
            active = true;
            liveness.resetAll(image.brokers().keySet(), time.milliseconds(), image.recordCount());
            log.info("This node's controller is active: {} registered brokers, {} topics", image.brokers().size(),
                    image.topicsById().size());
        }
    }

    /** Appends and waits for the commit (and replay into the view); logs {@code event} once committed. */
    private void write(List<MetadataRecord> records, String event) {
        write(records, event, null);
    }

    /** Appends {@code records} (with the forwarded command's {@code outcome}, if any) and waits for the commit. */
    private void write(List<MetadataRecord> records, String event, CommandOutcome outcome) {
        if (!records.isEmpty()) {
            try {
                (outcome == null ? metadataLog.append(records) : metadataLog.append(records, outcome))
                        .get(APPEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw asControllerError(e.getCause());
            } catch (TimeoutException e) {
                throw new NotControllerException("The metadata log did not commit within " + APPEND_TIMEOUT_MS + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotControllerException("Interrupted while writing metadata");
            }
        }
        if (event != null) {
            log.info(event);
        }
    }

    private static RuntimeException asControllerError(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return api;
        }
        return new NotControllerException("Could not write metadata: " + cause, cause);
    }

    private void periodic(String name, Callable<Integer> task) {
        try {
            task.call();
        } catch (NotControllerException e) {
            log.debug("Controller {} stopped: {}", name, e.getMessage());
        } catch (Throwable t) {
            log.warn("Controller {} failed; it runs again shortly", name, t);
        }
    }

    private <T> CompletableFuture<T> onThread(Callable<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    future.complete(task.call());
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new NotControllerException("The controller is shutting down"));
        }
        return future;
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The metadata controller thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
