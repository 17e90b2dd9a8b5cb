package io.millrace.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.command.BrokerHeartbeat;
import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.journal.LocalMetadataJournal;
import io.millrace.metadata.log.LocalMetadataLog;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataControllerTest {
    private static final ControllerSettings SETTINGS = new ControllerSettings(3, (short) 1, 9_000, false, false, 300_000);

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime();
    private MetadataPublisher publisher;
    private MetadataLog log;
    private MetadataController controller;

    /** A node: journal, log, publisher and controller, as a broker wires them. */
    private MetadataController start() {
        return start(publisher -> new LocalMetadataLog(new LocalMetadataJournal(dir), publisher));
    }

    private MetadataController start(Function<MetadataPublisher, MetadataLog> logFactory) {
        stop();
        publisher = new MetadataPublisher();
        log = logFactory.apply(publisher);
        controller = new MetadataController(log, publisher, SETTINGS,
                (k, v) -> k.equals("bad.key") ? "Unknown topic config bad.key" : null, time);
        return controller;
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
            log.close();
            controller = null;
        }
    }

    private long registerActive(int brokerId) throws Exception {
        long epoch = controller.submit(new RegisterBroker(brokerId, Uuid.randomUuid(), List.of(), null)).get()
                .brokerEpoch();
        BrokerHeartbeat.Reply reply = controller.submit(new BrokerHeartbeat(brokerId, epoch, controller.image().recordCount(), false)).get();
        assertFalse(reply.fenced());
        return epoch;
    }

    @Test
    void createdTopicsSurviveRestartAndDeletesReplay() throws Exception {
        MetadataController c = start();
        registerActive(1);
        List<CreateTopicResult> r = c.createTopics(List.of(
                new TopicSpec("a", -1, (short) -1, Map.of(), Map.of("retention.ms", "1000")),
                new TopicSpec("b", 2, (short) 1, Map.of(), Map.of())), false).get();
        assertTrue(r.get(0).error().isSuccess());
        assertEquals(3, r.get(0).numPartitions());
        assertEquals(2, r.get(1).numPartitions());
        assertEquals(List.of(ApiError.NONE), c.deleteTopics(List.of(r.get(1).topicId())).get());
        assertEquals(Errors.NONE, c.createPartitions("a", 5, List.of(), false).get().error());

        c = start();
        assertEquals(5, c.image().topic("a").orElseThrow().partitionCount());
        assertEquals("1000", c.image().topic("a").orElseThrow().configs().get("retention.ms"));
        assertFalse(c.image().topic("b").isPresent());
    }

    @Test
    void rejectsBadTopics() throws Exception {
        MetadataController c = start();
        registerActive(1);
        List<CreateTopicResult> r = c.createTopics(List.of(
                new TopicSpec("bad name!", 1, (short) 1, Map.of(), Map.of()),
                new TopicSpec("x", 0, (short) 1, Map.of(), Map.of()),
                new TopicSpec("y", 1, (short) 2, Map.of(), Map.of()),
                new TopicSpec("z", 1, (short) 1, Map.of(), Map.of("bad.key", "1")),
                new TopicSpec("ok", 1, (short) 1, Map.of(), Map.of()),
                new TopicSpec("ok", 1, (short) 1, Map.of(), Map.of()),
                new TopicSpec("m", -1, (short) -1, Map.of(0, List.of(9)), Map.of())), false).get();
        assertEquals(List.of(Errors.INVALID_TOPIC_EXCEPTION, Errors.INVALID_PARTITIONS,
                        Errors.INVALID_REPLICATION_FACTOR, Errors.INVALID_CONFIG, Errors.NONE,
                        Errors.TOPIC_ALREADY_EXISTS, Errors.INVALID_REPLICA_ASSIGNMENT),
                r.stream().map(x -> x.error().error()).toList());
        c.createTopics(List.of(new TopicSpec("o_k", 1, (short) 1, Map.of(), Map.of())), false).get();
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION, c.createTopics(List.of(
                new TopicSpec("o.k", 1, (short) 1, Map.of(), Map.of())), false).get().get(0).error().error());
        assertTrue(c.createTopics(List.of(new TopicSpec("v", 1, (short) 1, Map.of(), Map.of())), true)
                .get().get(0).error().isSuccess());
        assertFalse(c.image().topic("v").isPresent(), "validate_only creates nothing");
    }

    @Test
    void tornJournalTailIsCutAndEarlierEntriesKept() throws Exception {
        start();
        registerActive(1);
        controller.createTopics(List.of(new TopicSpec("kept", 1, (short) 1, Map.of(), Map.of())), false).get();
        stop();
        try (FileChannel ch = FileChannel.open(dir.resolve("journal.log"), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 50, 1, 2, 3}));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        MetadataController c = start();
        assertTrue(c.image().topic("kept").isPresent());
        c.createTopics(List.of(new TopicSpec("after", 1, (short) 1, Map.of(), Map.of())), false).get();
        c = start();
        assertTrue(c.image().topic("after").isPresent());
    }

    @Test
    void sessionExpiryFencesTheSilentBrokerAndMovesItsLeadership() throws Exception {
        MetadataController c = start();
        long e1 = registerActive(1);
        long e2 = registerActive(2);
        long e3 = registerActive(3);
        c.createTopics(List.of(new TopicSpec("t", -1, (short) -1,
                Map.of(0, List.of(2, 1, 3), 1, List.of(1, 2, 3), 2, List.of(2)), Map.of())), false).get();

        time.advance(5_000);
        assertEquals(0, c.checkSessionsNow().get());
        c.submit(new BrokerHeartbeat(1, e1, 0, false)).get();
        c.submit(new BrokerHeartbeat(3, e3, 0, false)).get();
        time.advance(5_000);
        assertEquals(1, c.checkSessionsNow().get(), "broker 2 has been silent for 10 s");

        var image = c.image();
        assertTrue(image.broker(2).orElseThrow().fenced());
        var topic = image.topic("t").orElseThrow();
        assertEquals(1, topic.partitions().get(0).leader());
        assertEquals(List.of(1, 3), topic.partitions().get(0).isr());
        assertEquals(List.of(1, 3), topic.partitions().get(1).isr());
        assertEquals(PartitionRecord.NO_LEADER, topic.partitions().get(2).leader());
        assertEquals(List.of(2), topic.partitions().get(2).isr());

        BrokerHeartbeat.Reply back = c.submit(new BrokerHeartbeat(2, e2, c.image().recordCount(), false)).get();
        assertFalse(back.fenced());
        assertEquals(2, c.image().topic("t").orElseThrow().partitions().get(2).leader(),
                "the last in-sync replica leads again when it returns");
    }

    @Test
    void aControllerThatBecomesActiveStartsEverySessionAfresh() throws Exception {
        boolean[] active = {true};
        MetadataController c = start(publisher -> new SwitchableLog(() -> active[0], publisher, dir, null));
        registerActive(1);
        active[0] = false;
        time.advance(60_000);
        assertEquals(0, c.checkSessionsNow().get());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> c.submit(new RegisterBroker(2, Uuid.randomUuid(), List.of(), null)).get());
        assertInstanceOf(NotControllerException.class, e.getCause());
        active[0] = true;
        assertEquals(0, c.checkSessionsNow().get(), "silence while another controller was active does not count");
        time.advance(10_000);
        assertEquals(1, c.checkSessionsNow().get());
    }

    @Test
    void aBrokerIsUnfencedOnlyOnceItsMetadataReachedItsRegistration() throws Exception {
        MetadataController c = start();
        long epoch = c.submit(new RegisterBroker(1, Uuid.randomUuid(), List.of(), null)).get().brokerEpoch();
        long registeredAt = c.image().recordCount();
        assertTrue(c.submit(new BrokerHeartbeat(1, epoch, registeredAt - 1, false)).get().fenced(),
                "a broker that has not replayed its own registration is behind");
        assertTrue(c.image().broker(1).orElseThrow().fenced());
        assertFalse(c.submit(new BrokerHeartbeat(1, epoch, registeredAt, false)).get().fenced());
    }

    @Test
    void aBrokerWhoseProcessExitedIsFencedAtOnce() throws Exception {
        MetadataController c = start();
        long e1 = registerActive(1);
        long e2 = registerActive(2);
        c.createTopics(List.of(new TopicSpec("t", -1, (short) -1, Map.of(0, List.of(2, 1)), Map.of())), false).get();

        assertFalse(c.fenceExitedBroker(2, e2 - 1, "test").get(), "an older incarnation's exit changes nothing");
        assertTrue(c.fenceExitedBroker(2, e2, "listener refused a connection").get());
        var image = c.image();
        assertTrue(image.broker(2).orElseThrow().fenced());
        assertFalse(image.broker(1).orElseThrow().fenced());
        assertEquals(1, image.topic("t").orElseThrow().partitions().get(0).leader());
        assertEquals(List.of(1), image.topic("t").orElseThrow().partitions().get(0).isr());
        assertFalse(c.fenceExitedBroker(2, e2, "again").get(), "already fenced");
        assertEquals(e1, c.image().broker(1).orElseThrow().brokerEpoch());
    }

    @Test
    void anExitedBrokerIsNotFencedByAControllerThatIsNotActive() throws Exception {
        boolean[] active = {true};
        MetadataController c = start(publisher -> new SwitchableLog(() -> active[0], publisher, dir, null));
        long e1 = registerActive(1);
        active[0] = false;
        assertFalse(c.fenceExitedBroker(1, e1, "test").get());
        active[0] = true;
        assertFalse(c.image().broker(1).orElseThrow().fenced());
    }

    @Test
    void appendFailuresFailTheCommandAsNotController() throws Exception {
        MetadataController c = start(publisher -> new SwitchableLog(() -> true, publisher, dir,
                new IllegalStateException("disk gone")));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> c.submit(new RegisterBroker(2, Uuid.randomUuid(), List.of(), null)).get());
        assertInstanceOf(NotControllerException.class, e.getCause());
    }

    /** A local log whose activity the test switches, and whose appends may fail. */
    private static final class SwitchableLog implements MetadataLog {
        private final BooleanSupplier active;
        private final LocalMetadataLog delegate;
        private final RuntimeException failure;

        SwitchableLog(BooleanSupplier active, MetadataPublisher publisher, Path dir, RuntimeException failure) {
            this.active = active;
            this.delegate = new LocalMetadataLog(new LocalMetadataJournal(dir), publisher);
            this.failure = failure;
        }

        @Override
        public CompletableFuture<Void> append(List<MetadataRecord> records) {
            return failure != null ? CompletableFuture.failedFuture(failure) : delegate.append(records);
        }

        @Override
        public boolean isActive() {
            return active.getAsBoolean();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
