package io.millrace.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.AllocateProducerIds;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.log.MetadataPublisher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.protocol.Message;
import org.junit.jupiter.api.Test;

class LeaderQueryHandlerTest {

    /** Hands out producer id blocks: running a command twice is visible as a different reply. */
    private static final class CountingController implements ControllerChannel {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicReference<RuntimeException> failNext = new AtomicReference<>();

        @Override
        @SuppressWarnings("unchecked")
        public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command) {
            RuntimeException failure = failNext.getAndSet(null);
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            AllocateProducerIds allocate = (AllocateProducerIds) command;
            long first = (long) runs.getAndIncrement() * allocate.size();
            return CompletableFuture.completedFuture((R) new AllocateProducerIds.Reply(first, allocate.size()));
        }
    }

    private final CountingController controller = new CountingController();
    private final LeaderQueryHandler handler = new LeaderQueryHandler(new MetadataPublisher(),
            new RecentBatches(10), () -> controller, () -> null, new QueryMessages.Identity(1, "cluster-x"));

    private static Message allocate(String requestId) {
        AllocateProducerIds command = new AllocateProducerIds(1, 1000);
        return QueryMessages.command(requestId, command.getClass().getName(), RecordCodec.encode(command));
    }

    private QueryMessages.Reply send(Message message) throws Exception {
        return QueryMessages.readReply(handler.handle(message.getContent()).get().getContent());
    }

    private static long firstId(QueryMessages.Reply reply) {
        assertEquals(Errors.NONE, reply.error(), reply.message());
        return RecordCodec.decode(AllocateProducerIds.Reply.class, reply.payload()).firstProducerId();
    }

    @Test
    void aRetriedCommandRunsOnceAndGetsTheFirstReply() throws Exception {
        Message first = allocate("request-1");
        long once = firstId(send(first));
        long again = firstId(send(first));
        assertEquals(once, again);
        assertEquals(1, controller.runs.get());
        assertEquals(1000, firstId(send(allocate("request-2"))));
        assertEquals(2, controller.runs.get());
    }

    @Test
    void aCommandThatDidNotRunBecauseNoControllerWasActiveRunsOnRetry() throws Exception {
        controller.failNext.set(new NotControllerException("not yet"));
        Message message = allocate("request-3");
        assertEquals(Errors.NOT_CONTROLLER, send(message).error());
        assertEquals(0, firstId(send(message)));
        assertEquals(1, controller.runs.get());
    }

    @Test
    void anyNodeSaysWhichClusterItIsIn() throws Exception {
        QueryMessages.Reply reply = send(QueryMessages.identity());
        assertEquals(new QueryMessages.Identity(1, "cluster-x"), QueryMessages.readIdentity(reply.payload()));
    }

    @Test
    void theMemoryIsBounded() throws Exception {
        RecentCommandResults results = new RecentCommandResults(2, reply -> true);
        for (int i = 0; i < 5; i++) {
            results.runOnce("id-" + i, id -> CompletableFuture.completedFuture(Message.EMPTY));
        }
        assertEquals(2, results.size());
    }
}
