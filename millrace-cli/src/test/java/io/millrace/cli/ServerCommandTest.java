package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.BrokerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final List<Thread> hooks = new ArrayList<>();
    private final AtomicReference<BrokerConfig> created = new AtomicReference<>();

    private final ServerCommand neverStarts = new ServerCommand(config -> {
        created.set(config);
        throw new AssertionError("no broker should be created");
    }, hooks::add);

    private String errText() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badOverrideIsOneLineNamingKeyAndValue() {
        int code = Main.run(new String[] {"server", "--override", "num.partitions=abc"}, out, err, neverStarts);
        assertEquals(1, code);
        assertEquals("millrace: Invalid value 'abc' for configuration num.partitions: not a number of type INT\n",
                errText());
        assertEquals(null, created.get());
        assertTrue(hooks.isEmpty());
    }

    @Test
    void badFileValueIsOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "listeners=PLAINTEXT//nohost\n");
        int code = Main.run(new String[] {"server", "--config", file.toString()}, out, err, neverStarts);
        assertEquals(1, code);
        String text = errText();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("listeners") && text.contains("PLAINTEXT//nohost"), text);
    }

    @Test
    void aListenerThatIsNotPlaintextStopsStartUpWithOneLine() {
        int code = Main.run(new String[] {"server", "--override", "listeners=PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9093",
                "--override", "inter.broker.listener.name=SASL_SSL"},
                out, err, neverStarts);
        assertEquals(1, code);
        assertEquals("millrace: inter-broker listener SASL_SSL://127.0.0.1:9093 uses security protocol SASL_SSL with "
                + "sasl.mechanism.inter.broker.protocol=GSSAPI (brokers authenticate to each other with PLAIN, "
                + "SCRAM-SHA-256, SCRAM-SHA-512 only), which Millrace does not support yet\n",
                errText());
        assertEquals(null, created.get());
        assertTrue(hooks.isEmpty());
    }

    @Test
    void unsupportedSettingsInTheFileStopStartUpWithOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, """
                create.topic.policy.class.name=com.example.Policy
                allow.everyone.if.no.acl.found=false
                alter.config.policy.class.name=com.example.Policy
                sasl.mechanism.controller.protocol=PLAIN
                """);
        int code = Main.run(new String[] {"server", "--config", file.toString()}, out, err, neverStarts);
        assertEquals(1, code);
        assertEquals("millrace: Millrace does not support these settings yet: alter.config.policy.class.name is set to "
                + "'com.example.Policy'; create.topic.policy.class.name is set to 'com.example.Policy'; "
                + "sasl.mechanism.controller.protocol is set to 'PLAIN'\n", errText());
        assertEquals(null, created.get());
    }

    @Test
    void theReadmeClusterRecipeStarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, """
                node.id=1
                process.roles=broker,controller
                cluster.id=SUCsjmpvRLWyP5Ru4I2o9A
                listeners=PLAINTEXT://host1:9092,CONTROLLER://host1:9093
                advertised.listeners=PLAINTEXT://host1:9092
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                controller.quorum.voters=1@host1:9093,2@host2:9093,3@host3:9093
                default.replication.factor=3
                min.insync.replicas=2
                offsets.topic.replication.factor=3
                transaction.state.log.replication.factor=3
                transaction.state.log.min.isr=2
                """ + "log.dirs=" + dir.resolve("data") + "\n");
        FakeBroker fake = new FakeBroker();
        ServerCommand command = new ServerCommand(config -> {
            created.set(config);
            return fake;
        }, hooks::add);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> Main.run(new String[] {"server", "--config", file.toString()}, out, err, command));
        assertTrue(fake.started.await(10, TimeUnit.SECONDS));
        assertEquals("PLAINTEXT", created.get().securityProtocol("CONTROLLER"));
        hooks.get(0).start();
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
        assertEquals("", errText());
    }

    @Test
    void missingConfigFile(@TempDir Path dir) {
        int code = Main.run(new String[] {"server", dir.resolve("nope.properties").toString()}, out, err, neverStarts);
        assertEquals(1, code);
        assertTrue(errText().startsWith("millrace: config file not found"), errText());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, Main.run(new String[] {}, out, err, neverStarts));
        assertEquals(2, Main.run(new String[] {"serve"}, out, err, neverStarts));
        assertEquals(2, Main.run(new String[] {"server", "--override", "x"}, out, err, neverStarts));
        assertEquals(0, Main.run(new String[] {"--help"}, out, err, neverStarts));
        assertEquals(0, Main.run(new String[] {"version"}, out, err, neverStarts));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("Millrace "));
    }

    @Test
    void startsThenShutsDownCleanlyWhenTheHookRuns(@TempDir Path dir) throws Exception {
        FakeBroker fake = new FakeBroker();
        ServerCommand command = new ServerCommand(config -> {
            created.set(config);
            return fake;
        }, hooks::add);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"server",
                "--override", "log.dir=" + dir, "--override", "node.id=3"}, out, err, command));

        assertTrue(fake.started.await(10, TimeUnit.SECONDS));
        assertEquals(3, created.get().nodeId());
        assertFalse(exit.isDone());
        assertEquals(1, hooks.size());
        assertEquals("millrace-shutdown", hooks.get(0).getName());

        hooks.get(0).start();
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
        assertTrue(fake.shutdowns > 0);
        assertTrue(command.stopRequested());
        assertEquals("", errText());
    }

    @Test
    void failedStartIsOneLine() {
        FakeBroker fake = new FakeBroker();
        fake.startFailure = new IllegalStateException("cannot bind", new java.net.BindException("Address already in use"));
        ServerCommand command = new ServerCommand(config -> fake, hooks::add);
        assertEquals(1, Main.run(new String[] {"server"}, out, err, command));
        assertEquals("millrace: failed to start: cannot bind: Address already in use\n", errText());
        assertEquals(1, fake.shutdowns);
        // At exit the hook finds nothing left to stop.
        hooks.get(0).run();
        assertEquals(1, fake.shutdowns);
        assertFalse(command.stopRequested());
    }

    private static final class FakeBroker implements RunningBroker {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile RuntimeException startFailure;
        volatile int shutdowns;

        @Override
        public void start() {
            if (startFailure != null) {
                throw startFailure;
            }
            started.countDown();
        }

        @Override
        public void shutdown() {
            shutdowns++;
            stopped.countDown();
        }

        @Override
        public void awaitShutdown() throws InterruptedException {
            assertNotNull(stopped);
            stopped.await();
        }
    }
}
