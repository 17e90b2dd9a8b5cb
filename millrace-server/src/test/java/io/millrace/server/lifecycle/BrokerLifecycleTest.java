package io.millrace.server.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.command.BrokerHeartbeat;
import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.BrokerEndpoint;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class BrokerLifecycleTest {
    private static final List<BrokerEndpoint> ENDPOINTS =
            List.of(new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT"));
    private static final MetadataImage IMAGE =
            new MetadataImage(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0L, 42L);
    private static final MetadataView VIEW = new MetadataView() {
        @Override
        public MetadataImage image() {
            return IMAGE;
        }

        @Override
        public CompletableFuture<Void> register(io.millrace.metadata.controller.MetadataListener listener) {
            return CompletableFuture.completedFuture(null);
        }
    };

    private static BrokerLifecycle lifecycle(FakeController controller) {
        return new BrokerLifecycle(2, controller, VIEW, () -> ENDPOINTS, "rack-a", 10, Time.SYSTEM);
    }

    private static CompletableFuture<?> ok(Record reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static BrokerHeartbeat.Reply beat(boolean fenced, boolean shouldShutdown) {
        return new BrokerHeartbeat.Reply(ApiError.NONE, fenced, false, shouldShutdown);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(2);
        }
    }

    @Test
    void registersThenHeartbeatsUntilUnfenced() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        FakeController controller = new FakeController(command -> switch (command) {
            case RegisterBroker r -> ok(new RegisterBroker.Reply(ApiError.NONE, 57));
            case BrokerHeartbeat h -> ok(beat(beats.incrementAndGet() < 3, false));
            default -> CompletableFuture.failedFuture(new IllegalStateException("unexpected " + command));
        });
        try (BrokerLifecycle lifecycle = lifecycle(controller)) {
            assertEquals(-1, lifecycle.brokerEpoch());
            assertTrue(lifecycle.isFenced());
            lifecycle.start();
            lifecycle.unfenced().get(5, TimeUnit.SECONDS);
            assertEquals(57, lifecycle.brokerEpoch());
            assertFalse(lifecycle.isFenced());
            RegisterBroker register = controller.commandsOf(RegisterBroker.class).get(0);
            assertEquals(2, register.brokerId());
            assertEquals(ENDPOINTS, register.endpoints());
            assertEquals("rack-a", register.rack());
            BrokerHeartbeat heartbeat = controller.commandsOf(BrokerHeartbeat.class).get(0);
            assertEquals(new BrokerHeartbeat(2, 57, 42, false), heartbeat);
            await(() -> beats.get() > 5); // keeps heartbeating
        }
    }

    @Test
    void retriesRegistrationWhileNoControllerIsReachable() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FakeController controller = new FakeController(command -> switch (command) {
            case RegisterBroker r -> attempts.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new NotControllerException("no leader yet"))
                    : ok(new RegisterBroker.Reply(ApiError.NONE, 7));
            case BrokerHeartbeat h -> ok(beat(false, false));
            default -> CompletableFuture.failedFuture(new IllegalStateException());
        });
        try (BrokerLifecycle lifecycle = lifecycle(controller)) {
            lifecycle.start();
            lifecycle.unfenced().get(5, TimeUnit.SECONDS);
            assertEquals(3, attempts.get());
            assertEquals(7, lifecycle.brokerEpoch());
            List<RegisterBroker> registrations = controller.commandsOf(RegisterBroker.class);
            assertEquals(1, registrations.stream().map(RegisterBroker::incarnationId).distinct().count());
        }
    }

    @Test
    void staleBrokerEpochRegistersAgainWithTheSameIncarnation() throws Exception {
        AtomicInteger registrations = new AtomicInteger();
        FakeController controller = new FakeController(command -> switch (command) {
            case RegisterBroker r -> ok(new RegisterBroker.Reply(ApiError.NONE, 10 + registrations.incrementAndGet()));
            case BrokerHeartbeat h -> h.brokerEpoch() == 11
                    ? ok(new BrokerHeartbeat.Reply(ApiError.of(Errors.STALE_BROKER_EPOCH, "gone"), true, false, false))
                    : ok(beat(false, false));
            default -> CompletableFuture.failedFuture(new IllegalStateException());
        });
        try (BrokerLifecycle lifecycle = lifecycle(controller)) {
            lifecycle.start();
            lifecycle.unfenced().get(5, TimeUnit.SECONDS);
            assertEquals(12, lifecycle.brokerEpoch());
            List<RegisterBroker> sent = controller.commandsOf(RegisterBroker.class);
            assertEquals(2, sent.size());
            assertEquals(sent.get(0).incarnationId(), sent.get(1).incarnationId());
        }
    }

    @Test
    void controlledShutdownWaitsForTheControllerThenStopsHeartbeating() throws Exception {
        AtomicInteger shutdownBeats = new AtomicInteger();
        FakeController controller = new FakeController(command -> switch (command) {
            case RegisterBroker r -> ok(new RegisterBroker.Reply(ApiError.NONE, 3));
            case BrokerHeartbeat h -> h.wantShutdown()
                    ? ok(beat(false, shutdownBeats.incrementAndGet() >= 3))
                    : ok(beat(false, false));
            default -> CompletableFuture.failedFuture(new IllegalStateException());
        });
        try (BrokerLifecycle lifecycle = lifecycle(controller)) {
            lifecycle.start();
            lifecycle.unfenced().get(5, TimeUnit.SECONDS);
            assertTrue(lifecycle.controlledShutdown(5_000));
            assertEquals(3, shutdownBeats.get());
            int sent = controller.commands.size();
            Thread.sleep(50);
            assertEquals(sent, controller.commands.size(), "no heartbeat after the controlled shutdown");
        }
    }

    @Test
    void controlledShutdownGivesUpWhenNoControllerIsReachable() throws Exception {
        FakeController controller = new FakeController(command -> switch (command) {
            case RegisterBroker r -> ok(new RegisterBroker.Reply(ApiError.NONE, 3));
            case BrokerHeartbeat h -> h.wantShutdown()
                    ? CompletableFuture.failedFuture(new NotControllerException("quorum lost"))
                    : ok(beat(false, false));
            default -> CompletableFuture.failedFuture(new IllegalStateException());
        });
        try (BrokerLifecycle lifecycle = lifecycle(controller)) {
            lifecycle.start();
            lifecycle.unfenced().get(5, TimeUnit.SECONDS);
            long begin = System.nanoTime();
            assertFalse(lifecycle.controlledShutdown(30_000));
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(5));
            assertTrue(BrokerLifecycle.SHUTDOWN_ATTEMPTS_WITHOUT_CONTROLLER
                    <= controller.commandsOf(BrokerHeartbeat.class).stream().filter(BrokerHeartbeat::wantShutdown).count());
        }
    }

    @Test
    void controlledShutdownTimesOut() throws Exception {
        FakeController controller = new FakeController(command -> switch (command) {
            case RegisterBroker r -> ok(new RegisterBroker.Reply(ApiError.NONE, 3));
            case BrokerHeartbeat h -> ok(beat(false, false));
            default -> CompletableFuture.failedFuture(new IllegalStateException());
        });
        try (BrokerLifecycle lifecycle = lifecycle(controller)) {
            lifecycle.start();
            lifecycle.unfenced().get(5, TimeUnit.SECONDS);
            assertFalse(lifecycle.controlledShutdown(100));
        }
    }

    @Test
    void closeBeforeRegistrationFailsTheUnfencedFuture() {
        FakeController controller = new FakeController(command ->
                CompletableFuture.failedFuture(new NotControllerException("none")));
        BrokerLifecycle lifecycle = lifecycle(controller);
        lifecycle.start();
        assertFalse(lifecycle.controlledShutdown(1_000));
        lifecycle.close();
        assertTrue(lifecycle.unfenced().isCompletedExceptionally());
        lifecycle.close(); // idempotent
    }
}
