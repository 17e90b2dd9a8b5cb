package io.millrace.server.lifecycle;

import io.millrace.common.Time;
import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.BrokerHeartbeat;
import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.BrokerEndpoint;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's membership of the cluster: it registers with the active controller (a new
 * incarnation id per process start), then heartbeats every {@code heartbeatIntervalMs}, quoting its
 * broker epoch and how far it has replayed the metadata. The controller unfences the broker once it
 * has caught up (replayed the metadata up to its registration), fences it when heartbeats stop, and
 * during a controlled shutdown moves leadership away before answering {@code shouldShutdown}.
 *
 * <ul>
 *   <li>Registration is retried with backoff (100 ms doubling to 5 s) on any failure, e.g. no
 *       controller reachable yet, until it succeeds or the lifecycle is closed.</li>
 *   <li>A heartbeat answered STALE_BROKER_EPOCH (the controller forgot or replaced this
 *       registration) registers again, with the same incarnation id.</li>
 *   <li>A failed heartbeat is retried at the next interval.</li>
 *   <li>While fenced it heartbeats every {@value #MAX_FENCED_HEARTBEAT_INTERVAL_MS} ms at most, so it
 *       is unfenced soon after its metadata has caught up.</li>
 *   <li>{@link #controlledShutdown} heartbeats with {@code wantShutdown} (every 200 ms at most) until
 *       the controller answers {@code shouldShutdown}, the timeout passes or no controller is
 *       reachable (at least {@value #SHUTDOWN_ATTEMPTS_WITHOUT_CONTROLLER} failed attempts over two
 *       heartbeat intervals, which rides out a quorum election); then heartbeats stop.</li>
 * </ul>
 *
 * <p>Threads: one, "broker-lifecycle", owns all state and sends every command; replies are handed
 * back to it. {@link #brokerEpoch()}, {@link #isFenced()} and {@link #unfenced()} may be read from
 * any thread. Lifecycle: {@link #start()} once, optionally {@link #controlledShutdown}, then
 * {@link #close()}.
 */
public final class BrokerLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerLifecycle.class);
    static final int SHUTDOWN_ATTEMPTS_WITHOUT_CONTROLLER = 3;
    private static final long INITIAL_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long MAX_SHUTDOWN_HEARTBEAT_INTERVAL_MS = 200;
    private static final long MAX_FENCED_HEARTBEAT_INTERVAL_MS = 100;
    private static final long MIN_REQUEST_TIMEOUT_MS = 5_000;
    private static final long MIN_HEARTBEAT_TIMEOUT_MS = 1_000;

    private enum State { NEW, REGISTERING, HEARTBEATING, SHUTTING_DOWN, STOPPED }

    private final int nodeId;
    private final ControllerChannel controller;
    private final MetadataView view;
    private final Supplier<List<BrokerEndpoint>> endpoints;
    private final String rack;
    private final long heartbeatIntervalMs;
    private final long requestTimeoutMs;
    /**
     * A heartbeat not answered within an interval (at least 1 s) counts as failed and the next one
     * goes out: one stuck on a controller that froze must not hold back the heartbeats the new
     * controller needs before the session timeout. Heartbeats are idempotent.
     */
    private final long heartbeatTimeoutMs;
    private final Time time;
    private final ScheduledExecutorService thread;
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();

    private volatile long brokerEpoch = -1;
    private volatile boolean fenced = true;
    private volatile BooleanSupplier storageFailing = () -> false;

    // Owned by the lifecycle thread.
    private State state = State.NEW;
    private boolean reportedStorageFailing;
    private Uuid incarnationId;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private ApiError lastRegistrationError;
    private boolean heartbeatFailing;
    private ScheduledFuture<?> nextSend;
    private boolean inFlight;
    private CompletableFuture<Boolean> shutdownDone;
    private long shutdownStartNanos;
    private int shutdownFailures;
    private long shutdownFirstFailureNanos;

    /**
     * @param endpoints           this broker's advertised endpoints, read at each registration (ports
     *                            are known only once the listeners are bound)
     * @param heartbeatIntervalMs broker.heartbeat.interval.ms
     */
    public BrokerLifecycle(int nodeId, ControllerChannel controller, MetadataView view,
                           Supplier<List<BrokerEndpoint>> endpoints, String rack, long heartbeatIntervalMs,
                           Time time) {
        this.nodeId = nodeId;
        this.controller = controller;
        this.view = view;
        this.endpoints = endpoints;
        this.rack = rack;
        this.heartbeatIntervalMs = Math.max(1, heartbeatIntervalMs);
        this.requestTimeoutMs = Math.max(MIN_REQUEST_TIMEOUT_MS, 4 * this.heartbeatIntervalMs);
        this.heartbeatTimeoutMs = Math.max(MIN_HEARTBEAT_TIMEOUT_MS, this.heartbeatIntervalMs);
        this.time = time;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "broker-lifecycle");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = executor;
    }

    /**
     * Heartbeats say whether {@code failing} (this node's logs cannot be written, e.g. a full disk):
     * the controller then fences this broker, moving its leadership away, until they can again.
     */
    public void watchStorage(BooleanSupplier failing) {
        this.storageFailing = failing;
    }

    /** Registers (in the background) and then heartbeats. */
    public void start() {
        thread.execute(() -> {
            if (state != State.NEW) {
                return;
            }
            incarnationId = Uuid.randomUuid();
            state = State.REGISTERING;
            register();
        });
    }

    /** The epoch the controller granted at the latest registration; -1 before that. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    /** Whether the controller considers this broker fenced (true until a heartbeat says otherwise). */
    public boolean isFenced() {
        return fenced;
    }

    /** Completes the first time a heartbeat reply says this broker is unfenced; fails on close before that. */
    public CompletableFuture<Void> unfenced() {
        return unfenced;
    }

    /**
     * Asks the controller to move leadership away from this broker and waits until it has, at most
     * {@code timeoutMs}; then stops heartbeating. Not to be called on the lifecycle thread.
     *
     * @return true if the controller confirmed; false if it timed out, no controller was
     *         reachable or this broker never registered (each is logged)
     */
    public boolean controlledShutdown(long timeoutMs) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try {
            thread.execute(() -> beginControlledShutdown(done, timeoutMs));
            return done.get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            log.warn("Controlled shutdown gave up after {} ms: {}", timeoutMs, e.toString());
            return false;
        }
    }

    /** Stops registering and heartbeating. Idempotent. */
    @Override
    public void close() {
        try {
            thread.execute(() -> stop(false));
        } catch (java.util.concurrent.RejectedExecutionException alreadyClosed) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        unfenced.completeExceptionally(new IllegalStateException("broker lifecycle closed before unfencing"));
    }

    // ---- on the lifecycle thread ----

    private void register() {
        if (state != State.REGISTERING) {
            return;
        }
        RegisterBroker command = new RegisterBroker(nodeId, incarnationId, List.copyOf(endpoints.get()), rack);
        send(controller.submit(command), requestTimeoutMs, this::onRegistered);
    }

    private void onRegistered(RegisterBroker.Reply reply, Throwable failure) {
        if (state != State.REGISTERING) {
            return;
        }
        ApiError error = failure != null ? toError(failure) : reply.error();
        if (!error.isSuccess()) {
            if (!error.equals(lastRegistrationError)) {
                log.warn("Registering with the controller as broker {} failed ({}: {}); retrying", nodeId,
                        error.error(), error.message());
                lastRegistrationError = error;
            }
            schedule(this::register, backoffMs);
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            return;
        }
        lastRegistrationError = null;
        backoffMs = INITIAL_BACKOFF_MS;
        brokerEpoch = reply.brokerEpoch();
        log.info("Registered with the controller as broker {} (epoch {})", nodeId, brokerEpoch);
        state = State.HEARTBEATING;
        heartbeat();
    }

    private void heartbeat() {
        if (state != State.HEARTBEATING && state != State.SHUTTING_DOWN) {
            return;
        }
        boolean wantShutdown = state == State.SHUTTING_DOWN;
        boolean failing = storageFailing.getAsBoolean();
        if (failing != reportedStorageFailing) {
            reportedStorageFailing = failing;
            if (failing) {
                log.warn("Writes to the logs of broker {} are failing (see the error above): asking the controller to "
                        + "move its leadership away until they succeed again", nodeId);
            } else {
                log.info("Writes to the logs of broker {} succeed again: asking the controller to unfence it", nodeId);
            }
        }
        BrokerHeartbeat command = new BrokerHeartbeat(nodeId, brokerEpoch, view.image().recordCount(), wantShutdown,
                failing);
        send(controller.submit(command), heartbeatTimeoutMs, this::onHeartbeat);
    }

    private void onHeartbeat(BrokerHeartbeat.Reply reply, Throwable failure) {
        if (state != State.HEARTBEATING && state != State.SHUTTING_DOWN) {
            return;
        }
        ApiError error = failure != null ? toError(failure) : reply.error();
        if (error.error() == Errors.STALE_BROKER_EPOCH) {
            log.warn("The controller no longer knows broker {} at epoch {}; registering again", nodeId, brokerEpoch);
            brokerEpoch = -1;
            fenced = true;
            if (state == State.SHUTTING_DOWN) {
                finishShutdown(false, "this broker's registration is gone (" + error.message() + ")");
                return;
            }
            state = State.REGISTERING;
            register();
            return;
        }
        if (!error.isSuccess()) {
            onHeartbeatFailed(error);
            return;
        }
        if (heartbeatFailing) {
            log.info("Heartbeats reach the controller again");
            heartbeatFailing = false;
        }
        shutdownFailures = 0;
        updateFencing(reply.fenced());
        if (state == State.SHUTTING_DOWN && reply.shouldShutdown()) {
            finishShutdown(true, null);
            return;
        }
        schedule(this::heartbeat, nextHeartbeatDelay());
    }

    private void onHeartbeatFailed(ApiError error) {
        if (state == State.SHUTTING_DOWN) {
            if (shutdownFailures++ == 0) {
                shutdownFirstFailureNanos = time.nanoseconds();
            }
            long failingMs = (time.nanoseconds() - shutdownFirstFailureNanos) / 1_000_000;
            if (shutdownFailures >= SHUTDOWN_ATTEMPTS_WITHOUT_CONTROLLER && failingMs >= 2 * heartbeatIntervalMs) {
                finishShutdown(false, "no controller reachable (" + error.error() + ": " + error.message() + ")");
                return;
            }
        } else if (!heartbeatFailing) {
            log.warn("Heartbeat of broker {} failed ({}: {}); retrying every {} ms", nodeId, error.error(),
                    error.message(), heartbeatIntervalMs);
            heartbeatFailing = true;
        }
        schedule(this::heartbeat, nextHeartbeatDelay());
    }

    private void updateFencing(boolean nowFenced) {
        boolean wasFenced = fenced;
        fenced = nowFenced;
        if (wasFenced && !nowFenced) {
            log.info("Unfenced: serving as broker {}", nodeId);
            unfenced.complete(null);
        } else if (!wasFenced && nowFenced && state == State.HEARTBEATING) {
            log.warn(reportedStorageFailing ? "Fenced by the controller: broker {} leads nothing while its logs cannot be written"
                    : "Fenced by the controller: broker {} no longer serves until it catches up", nodeId);
        }
    }

    private void beginControlledShutdown(CompletableFuture<Boolean> done, long timeoutMs) {
        if (state == State.STOPPED || state == State.SHUTTING_DOWN) {
            done.complete(false);
            return;
        }
        if (state != State.HEARTBEATING) {
            log.info("Controlled shutdown skipped: broker {} is not registered with the controller", nodeId);
            stop(false);
            done.complete(false);
            return;
        }
        state = State.SHUTTING_DOWN;
        shutdownDone = done;
        shutdownStartNanos = time.nanoseconds();
        shutdownFailures = 0;
        log.info("Controlled shutdown: asking the controller to move leadership away from broker {}", nodeId);
        thread.schedule(() -> {
            if (state == State.SHUTTING_DOWN && shutdownDone == done) {
                finishShutdown(false, "the controller did not confirm in time");
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        if (!inFlight) {
            cancelNextSend();
            heartbeat();
        }
    }

    private void finishShutdown(boolean confirmed, String why) {
        long elapsedMs = (time.nanoseconds() - shutdownStartNanos) / 1_000_000;
        if (confirmed) {
            log.info("Controlled shutdown: leadership moved away in {} ms", elapsedMs);
        } else {
            log.warn("Controlled shutdown gave up after {} ms: {}", elapsedMs, why);
        }
        stop(confirmed);
    }

    private void stop(boolean confirmed) {
        state = State.STOPPED;
        cancelNextSend();
        if (shutdownDone != null) {
            shutdownDone.complete(confirmed);
        }
    }

    /**
     * The interval while serving; at most {@value #MAX_SHUTDOWN_HEARTBEAT_INTERVAL_MS} ms while
     * shutting down, and at most {@value #MAX_FENCED_HEARTBEAT_INTERVAL_MS} ms while fenced, so a
     * broker that has just caught up with the metadata is unfenced without waiting a whole interval.
     */
    private long nextHeartbeatDelay() {
        if (state == State.SHUTTING_DOWN) {
            return Math.min(heartbeatIntervalMs, MAX_SHUTDOWN_HEARTBEAT_INTERVAL_MS);
        }
        return fenced ? Math.min(heartbeatIntervalMs, MAX_FENCED_HEARTBEAT_INTERVAL_MS) : heartbeatIntervalMs;
    }

    private <R> void send(CompletableFuture<R> reply, long timeoutMs, java.util.function.BiConsumer<R, Throwable> onReply) {
        inFlight = true;
        reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            try {
                thread.execute(() -> {
                    inFlight = false;
                    onReply.accept(r, e);
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closed meanwhile: nothing more to do
            }
        });
    }

    private void schedule(Runnable action, long delayMs) {
        cancelNextSend();
        nextSend = thread.schedule(action, delayMs, TimeUnit.MILLISECONDS);
    }

    private void cancelNextSend() {
        if (nextSend != null) {
            nextSend.cancel(false);
            nextSend = null;
        }
    }

    private static ApiError toError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return ApiError.of(Errors.REQUEST_TIMED_OUT, "no reply from the controller");
        }
        return ApiError.of(Errors.forException(cause), cause.getMessage());
    }
}
