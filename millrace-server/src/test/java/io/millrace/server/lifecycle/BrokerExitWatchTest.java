package io.millrace.server.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.BrokerRegistrationRecord;
import io.millrace.metadata.records.BrokerStateRecord;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class BrokerExitWatchTest {
    /** A broker process stand-in: a listener accepting (and holding) connections. */
    private static final class FakeListener implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        FakeListener() throws Exception {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (Exception closed) {
                    // listener closed
                }
            });
        }

        /** What the OS does when the process dies: every socket closes. */
        @Override
        public void close() throws Exception {
            server.close();
            // a connection accepted just before the listener closed is added after a loop over
            // the list began, and would stay open: wait for the acceptor to end first
            acceptor.join(5_000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static MetadataImage imageWith(int brokerId, long epoch, int port, boolean fenced) {
        return MetadataImage.EMPTY.apply(List.of(
                new BrokerRegistrationRecord(brokerId, epoch, Uuid.randomUuid(),
                        List.of(new BrokerEndpoint("PLAINTEXT", "127.0.0.1", port, "PLAINTEXT")), null, true),
                new BrokerStateRecord(brokerId, epoch, fenced, false)));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aBrokerWhoseSocketsCloseIsReportedOnceItsListenerRefuses() throws Exception {
        List<String> exits = new CopyOnWriteArrayList<>();
        try (FakeListener broker = new FakeListener()) {
            MetadataImage image = imageWith(2, 7, broker.server.getLocalPort(), false);
            try (BrokerExitWatch watch = new BrokerExitWatch(1, "PLAINTEXT", () -> image, () -> true,
                    (id, epoch, evidence) -> exits.add(id + "@" + epoch))) {
                watch.start();
                await("the watch connected", () -> !broker.accepted.isEmpty());
                broker.accepted.get(0).close(); // the broker closed an idle connection: not an exit
                await("the watch reconnected", () -> broker.accepted.size() >= 2);
                assertTrue(exits.isEmpty());
                long killedAt = System.nanoTime();
                broker.close();
                await("the exit was reported", () -> !exits.isEmpty());
                System.out.printf("exit reported %d ms after the sockets closed%n",
                        (System.nanoTime() - killedAt) / 1_000_000);
                assertEquals(List.of("2@7"), exits);
            }
        }
    }

    @Test
    void aStandbyReportsAnExitItSawTheMomentItsControllerBecomesActive() throws Exception {
        List<String> exits = new CopyOnWriteArrayList<>();
        AtomicBoolean active = new AtomicBoolean(false);
        try (FakeListener broker = new FakeListener()) {
            MetadataImage image = imageWith(2, 7, broker.server.getLocalPort(), false);
            try (BrokerExitWatch watch = new BrokerExitWatch(1, "PLAINTEXT", () -> image, active::get,
                    (id, epoch, evidence) -> exits.add(id + "@" + epoch))) {
                watch.start();
                await("a standby watches too", () -> !broker.accepted.isEmpty());
                broker.close(); // the broker (also the active controller, say) dies
                await("the standby saw the exit", () -> watch.exitsSeen().contains(2));
                assertTrue(exits.isEmpty(), "a standby reports nothing: " + exits);
                long activeAt = System.nanoTime();
                active.set(true); // elected because the old controller is gone
                await("the exit was reported", () -> !exits.isEmpty());
                System.out.printf("exit reported %d ms after the controller became active%n",
                        (System.nanoTime() - activeAt) / 1_000_000);
                assertEquals(List.of("2@7"), exits);
            }
        }
    }

    @Test
    void aStandbyWithdrawsAnExitWhenTheListenerAcceptsAgain() throws Exception {
        List<String> exits = new CopyOnWriteArrayList<>();
        AtomicBoolean active = new AtomicBoolean(false);
        int port;
        try (FakeListener broker = new FakeListener()) {
            port = broker.server.getLocalPort();
            MetadataImage image = imageWith(2, 7, port, false);
            try (BrokerExitWatch watch = new BrokerExitWatch(1, "PLAINTEXT", () -> image, active::get,
                    (id, epoch, evidence) -> exits.add(id + "@" + epoch))) {
                watch.start();
                await("a standby watches too", () -> !broker.accepted.isEmpty());
                broker.close();
                await("the standby saw the exit", () -> watch.exitsSeen().contains(2));
                try (ServerSocket back = new ServerSocket()) {
                    back.setReuseAddress(true);
                    back.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    await("the exit is withdrawn once a reconnect succeeds", () -> watch.exitsSeen().isEmpty());
                    active.set(true);
                    Thread.sleep(300); // nothing may be reported; no condition to poll for
                    assertTrue(exits.isEmpty(), "a withdrawn exit is never reported: " + exits);
                }
            }
        }
    }

    @Test
    void nothingIsReportedWithoutAnActiveControllerOrForAnAddressNeverReached() throws Exception {
        List<String> exits = new CopyOnWriteArrayList<>();
        AtomicBoolean active = new AtomicBoolean(false);
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (FakeListener broker = new FakeListener()) {
            MetadataImage live = imageWith(2, 7, broker.server.getLocalPort(), false);
            MetadataImage unreachable = imageWith(3, 8, deadPort, false);
            MetadataImage image = live.apply(unreachable.brokers().values().stream()
                    .map(b -> (io.millrace.metadata.records.MetadataRecord) new BrokerRegistrationRecord(b.brokerId(),
                            b.brokerEpoch(), b.incarnationId(), b.endpoints(), null, false)).toList());
            try (BrokerExitWatch watch = new BrokerExitWatch(1, "PLAINTEXT", () -> image, active::get,
                    (id, epoch, evidence) -> exits.add(id + "@" + epoch))) {
                watch.start();
                await("the watch connected", () -> !broker.accepted.isEmpty());
                Thread.sleep(300); // nothing may be reported while inactive; no condition to poll for
                assertTrue(exits.isEmpty(), "an inactive controller reports nobody: " + exits);
                active.set(true);
                Thread.sleep(300);
                assertTrue(exits.isEmpty(), "broker 3 was never reachable, so its refusals prove nothing: " + exits);
            }
        }
    }
}
