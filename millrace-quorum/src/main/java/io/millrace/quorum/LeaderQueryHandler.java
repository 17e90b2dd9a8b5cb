package io.millrace.quorum;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Answers the read-only requests that Ratis delivers to the leader's state machine: runs a
 * forwarded controller command on the local controller (once per request id: a reply the metadata
 * log committed for that id, {@link CommittedCommandReplies}, possibly under an earlier leader,
 * else this leader's {@link RecentCommandResults}), describes the quorum, or serves a non-voter's metadata fetch from
 * the recent-batches tail (or a whole snapshot). Also answers, on any node (a stale read), which
 * node and cluster it is, for a peer's {@link QuorumProbe}. Called on gRPC threads; never blocks
 * them: every answer is a future.
 */
final class LeaderQueryHandler {
    private static final long MAX_FETCH_WAIT_MS = 5_000;

    private final MetadataView view;
    private final RecentBatches recent;
    private final Supplier<ControllerChannel> localController;
    private final Supplier<QuorumInfo> describe;
    private final QueryMessages.Identity identity;
    private final CommittedCommandReplies committedReplies;
    private final RecentCommandResults commandResults = new RecentCommandResults(RecentCommandResults.CAPACITY,
            reply -> QueryMessages.readReply(reply.getContent()).error() != Errors.NOT_CONTROLLER);

    LeaderQueryHandler(MetadataView view, RecentBatches recent, Supplier<ControllerChannel> localController,
                       Supplier<QuorumInfo> describe, QueryMessages.Identity identity) {
        this(view, recent, new CommittedCommandReplies(), localController, describe, identity);
    }

    LeaderQueryHandler(MetadataView view, RecentBatches recent, CommittedCommandReplies committedReplies,
                       Supplier<ControllerChannel> localController, Supplier<QuorumInfo> describe,
                       QueryMessages.Identity identity) {
        this.view = view;
        this.recent = recent;
        this.committedReplies = committedReplies;
        this.localController = localController;
        this.describe = describe;
        this.identity = identity;
    }

    CompletableFuture<Message> handle(ByteString content) {
        try {
            QueryMessages.Request request = QueryMessages.readRequest(content);
            return switch (request.kind()) {
                case QueryMessages.COMMAND -> runCommand(request);
                case QueryMessages.IDENTIFIED_COMMAND -> committedReplies.reply(request.requestId())
                        .map(reply -> CompletableFuture.completedFuture(QueryMessages.ok(reply)))
                        .orElseGet(() -> commandResults.runOnce(request.requestId(), id -> runCommand(request)));
                case QueryMessages.IDENTITY ->
                        CompletableFuture.completedFuture(QueryMessages.ok(QueryMessages.identityResult(identity)));
                case QueryMessages.DESCRIBE ->
                        CompletableFuture.completedFuture(QueryMessages.ok(RecordCodec.encode(describe.get())));
                case QueryMessages.FETCH -> fetch(request.recordCount(),
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                                Math.max(0, Math.min(request.maxWaitMs(), MAX_FETCH_WAIT_MS))));
                default -> throw new IllegalArgumentException("Unknown request kind " + request.kind());
            };
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(QueryMessages.error(Errors.INVALID_REQUEST, e.getMessage()));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private CompletableFuture<Message> runCommand(QueryMessages.Request request) {
        ControllerChannel controller = localController.get();
        if (controller == null) {
            return CompletableFuture.completedFuture(
                    QueryMessages.error(Errors.NOT_CONTROLLER, "The controller of the quorum leader is not started yet"));
        }
        Class<? extends ControllerCommand> type = RecordCodec.allowedRecordClass(request.commandClass(),
                ControllerCommand.class);
        ControllerCommand command = RecordCodec.decode(type, request.payload());
        CompletableFuture<? extends Record> reply;
        try {
            reply = request.requestId() == null ? controller.submit(command)
                    : controller.submit(command, request.requestId());
            if (reply == null) {
                reply = CompletableFuture.failedFuture(new IllegalStateException("The controller answered nothing"));
            }
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((result, error) -> error == null
                ? QueryMessages.ok(RecordCodec.encode(result))
                : errorMessage(error));
    }

    static Message errorMessage(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        Errors mapped = Errors.forException(cause);
        return QueryMessages.error(mapped, cause.getMessage() != null ? cause.getMessage() : cause.toString());
    }

    private CompletableFuture<Message> fetch(long recordCount, long deadlineNanos) {
        // take the change signal before looking, so a batch applied in between is not missed
        CompletableFuture<Void> change = recent.nextChange();
        Optional<List<RecentBatches.Batch>> batches = recent.after(recordCount);
        if (batches.isEmpty()) {
            MetadataImage image = view.image();
            return CompletableFuture.completedFuture(QueryMessages.ok(QueryMessages.fetchResult(
                    new QueryMessages.FetchResult(true, image.recordCount(), ImageRecords.of(image), List.of()))));
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (!batches.get().isEmpty() || remaining <= 0) {
            return CompletableFuture.completedFuture(QueryMessages.ok(QueryMessages.fetchResult(
                    new QueryMessages.FetchResult(false, -1, List.of(), batches.get()))));
        }
        return change.copy().completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS)
                .thenComposeAsync(ignored -> fetch(recordCount, deadlineNanos));
    }
}
