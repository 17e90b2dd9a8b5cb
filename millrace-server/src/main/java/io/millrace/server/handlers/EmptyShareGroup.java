package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * The precondition of the share-group offset admin APIs (AlterShareGroupOffsets,
 * DeleteShareGroupOffsets): the group is a share group on this coordinator (else
 * GROUP_ID_NOT_FOUND) with no members (else NON_EMPTY_GROUP); NOT_COORDINATOR and the like as
 * the coordinator answers them. Stateless.
 */
final class EmptyShareGroup {
    private EmptyShareGroup() {
    }

    /**
     * {@code action} when {@code groupId} is an empty share group here; else the response
     * {@code refused} makes of the error (the one prelude of AlterShareGroupOffsets and
     * DeleteShareGroupOffsets).
     */
    static <R> CompletableFuture<R> thenIfEmpty(GroupCoordinatorService groups, String groupId,
                                                Function<Errors, R> refused, Supplier<CompletableFuture<R>> action) {
        return check(groups, groupId).thenCompose(error -> error != Errors.NONE
                ? CompletableFuture.completedFuture(refused.apply(error)) : action.get());
    }

    /** {@link Errors#NONE} when {@code groupId} is an empty share group here, else why not. */
    static CompletableFuture<Errors> check(GroupCoordinatorService groups, String groupId) {
        return groups.read(groupId, shard -> !shard.shareGroups().contains(groupId) ? Errors.GROUP_ID_NOT_FOUND
                        : shard.shareGroups().isEmpty(groupId) ? Errors.NONE : Errors.NON_EMPTY_GROUP)
                .exceptionally(ConsumerGroupHeartbeatHandler::errorOf);
    }
}
