package io.millrace.server.partition;

import io.millrace.common.Time;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.AlterPartition;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metrics.EventCounter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ISR of the partitions this broker leads: every {@code replica.lag.time.max.ms / 2}
 * (and as soon as a follower's fetch may let it rejoin) it shrinks out followers that have not
 * caught up within {@code replica.lag.time.max.ms} and adds back followers that caught up (see
 * {@link IsrDecision}), by sending AlterPartition to the active controller.
 *
 * <p>At most one request per partition is in flight; a failed one is retried at the next check.
 * The new ISR reaches the partition through the metadata ({@link LocalPartitions#onImage}), never
 * from the reply.
 *
 * <p>Threads: all decisions run on its own single thread {@code isr-maintainer}; replies complete
 * on the controller channel's threads and only clear the in-flight mark. Lifecycle: {@link #start}
 * once, {@link #close} once.
 */
public final class IsrMaintainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IsrMaintainer.class);

    private final int brokerId;
    private final LocalPartitions partitions;
    private final ControllerChannel controller;
    private final LongSupplier brokerEpoch;
    private final long replicaLagTimeMaxMs;
    private final Time time;
    private final Map<TopicPartition, String> lastLogged = new HashMap<>(); // isr-maintainer thread only
    private volatile ScheduledExecutorService executor;
    /** ISR shrinks and expands the controller accepted (metrics); set once at start-up. */
    private volatile EventCounter shrinks = EventCounter.NONE;
    private volatile EventCounter expands = EventCounter.NONE;

    public IsrMaintainer(int brokerId, LocalPartitions partitions, ControllerChannel controller,
                         LongSupplier brokerEpoch, long replicaLagTimeMaxMs, Time time) {
        this.brokerId = brokerId;
        this.partitions = partitions;
        this.controller = controller;
        this.brokerEpoch = brokerEpoch;
        this.replicaLagTimeMaxMs = replicaLagTimeMaxMs;
        this.time = time;
    }

    /** Counts the ISR changes the controller accepts, as Kafka's IsrShrinksPerSec and IsrExpandsPerSec. */
    public void countChanges(EventCounter isrShrinks, EventCounter isrExpands) {
        this.shrinks = isrShrinks;
        this.expands = isrExpands;
    }

    /** Starts the periodic check and listens for followers that may rejoin the ISR. */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "isr-maintainer");
            thread.setDaemon(true);
            return thread;
        });
        long periodMs = Math.max(1, replicaLagTimeMaxMs / 2);
        executor.scheduleAtFixedRate(this::checkAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
        partitions.setFollowerMayJoinIsrListener(this::checkSoon);
    }

    /** Checks {@code partition} soon on the maintainer thread (a follower caught up). */
    public void checkSoon(Partition partition) {
        ScheduledExecutorService running = executor;
        if (running == null) {
            return;
        }
        try {
            running.execute(() -> check(partition));
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** One pass over every partition this broker leads. Runs on the maintainer thread (or a test's). */
    void checkAll() {
        try {
            lastLogged.keySet().removeIf(tp -> partitions.get(tp).map(p -> !p.isLeader()).orElse(true));
            for (Partition partition : partitions.all()) {
                if (partition.isLeader()) {
                    check(partition);
                }
            }
        } catch (RuntimeException e) {
            log.error("ISR check failed", e);
        }
    }

    /** Decides for one partition and, when a change is due, sends it. */
    void check(Partition partition) {
        LeaderView view = partition.leaderView();
        MetadataImage image = partitions.image();
        Optional<IsrDecision.Proposal> decision = IsrDecision.decide(view, brokerId, time.milliseconds(),
                replicaLagTimeMaxMs, id -> image.broker(id).map(BrokerImage::isActive).orElse(false));
        if (decision.isEmpty()) {
            return;
        }
        IsrDecision.Proposal proposal = decision.get();
        int leaderEpoch = view.state().leaderEpoch();
        int partitionEpoch = view.state().partitionEpoch();
        if (!partition.beginIsrChange(leaderEpoch, partitionEpoch, proposal.newIsr())) {
            return;
        }
        TopicPartition tp = partition.topicPartition();
        String key = proposal.currentIsr() + "->" + proposal.newIsr();
        if (!key.equals(lastLogged.put(tp, key))) {
            log.info(proposal.describe(tp));
        }
        AlterPartition request = new AlterPartition(brokerId, brokerEpoch.getAsLong(), List.of(
                new AlterPartition.IsrChange(partition.topicId(), tp.partition(), leaderEpoch, partitionEpoch,
                        proposal.newIsr())));
        controller.submit(request).whenComplete((reply, failure) -> onReply(partition, proposal, reply, failure));
    }

    private void onReply(Partition partition, IsrDecision.Proposal proposal, AlterPartition.Reply reply,
                         Throwable failure) {
        TopicPartition tp = partition.topicPartition();
        if (failure != null) {
            log.warn("AlterPartition of {} to ISR {} failed: {}; retrying later", tp, proposal.newIsr(),
                    failure.toString());
            partition.endIsrChange(proposal.newIsr(), true, -1);
            return;
        }
        if (reply.error() != null && !reply.error().isSuccess()) {
            log.warn("AlterPartition of {} to ISR {} refused: {}; retrying later", tp, proposal.newIsr(),
                    reply.error());
            partition.endIsrChange(proposal.newIsr(), true, -1);
            return;
        }
        AlterPartition.Result result = reply.results().isEmpty() ? null : reply.results().get(0);
        if (result == null || (result.error() != null && !result.error().isSuccess()) || result.state() == null) {
            log.warn("AlterPartition of {} to ISR {} refused: {}; retrying later", tp, proposal.newIsr(),
                    result == null ? "no result" : result.error());
            partition.endIsrChange(proposal.newIsr(), true, -1);
            return;
        }
        partition.endIsrChange(proposal.newIsr(), false, result.state().partitionEpoch());
        (proposal.shrink() ? shrinks : expands).increment();
    }

    @Override
    public synchronized void close() {
        partitions.setFollowerMayJoinIsrListener(null);
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
