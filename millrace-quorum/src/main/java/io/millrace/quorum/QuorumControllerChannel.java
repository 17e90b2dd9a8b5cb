package io.millrace.quorum;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.ControllerCommand;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;

/**
 * Reaches the active controller through the quorum from any node: a command is encoded (class
 * name + {@link RecordCodec}) and sent as a Ratis read-only request, which Ratis routes to the
 * leader (a non-leader answers NotLeaderException with the leader's address and the client
 * follows it); the leader's state machine runs it on the leader's local controller and answers
 * with the encoded reply or an error code. Each command carries a request id, the same on every
 * retry, so a leader that already ran it answers the first run's reply instead of running it
 * again ({@link RecentCommandResults}).
 *
 * <p>NOT_CONTROLLER, a leader that is not ready and no leader at all are retried every
 * {@value #BACKOFF_MS} ms until the deadline, then the future fails with
 * {@link NotControllerException}; other errors fail it with the error's exception. A request
 * that timed out is not sent again (it may have run). Thread-safe; holds no thread.
 */
public final class QuorumControllerChannel implements ControllerChannel {
    static final long BACKOFF_MS = 100;

    private final MetadataQuorum quorum;
    private final long timeoutNanos;

    public QuorumControllerChannel(MetadataQuorum quorum, Duration timeout) {
        this.quorum = quorum;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command) {
        Message message;
        try {
            message = QueryMessages.command(UUID.randomUUID().toString(), command.getClass().getName(),
                    RecordCodec.encode(command));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(command, message, System.nanoTime() + timeoutNanos, result);
        return result;
    }

    private <R extends Record> void attempt(ControllerCommand<R> command, Message message, long deadline,
                                            CompletableFuture<R> result) {
        quorum.query(message).whenComplete((reply, error) -> {
            String retryReason;
            if (error != null) {
                Throwable cause = unwrap(error);
                if (isTimeout(cause)) {
                    result.completeExceptionally(new NotControllerException(
                            "The active controller did not answer in time: " + cause.getMessage()));
                    return;
                }
                retryReason = cause.toString();
            } else if (reply.error() == Errors.NONE) {
                try {
                    result.complete(RecordCodec.decode(command.replyType(), reply.payload()));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
                return;
            } else if (reply.error() == Errors.NOT_CONTROLLER) {
                retryReason = reply.message();
            } else {
                result.completeExceptionally(reply.error().exception(reply.message()));
                return;
            }
            if (quorum.isClosed() || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKOFF_MS) > deadline) {
                result.completeExceptionally(new NotControllerException(
                        "No active controller reachable through the metadata quorum: " + retryReason));
                return;
            }
            Executor later = CompletableFuture.delayedExecutor(BACKOFF_MS, TimeUnit.MILLISECONDS);
            later.execute(() -> attempt(command, message, deadline, result));
        });
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutIOException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
