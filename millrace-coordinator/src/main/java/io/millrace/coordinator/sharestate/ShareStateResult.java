package io.millrace.coordinator.sharestate;

import org.apache.kafka.common.protocol.Errors;

/**
 * The outcome of a share coordinator operation on one share-partition: an error, or NONE and the
 * snapshot (null when the share-partition has no state: never initialized, or deleted).
 * Immutable.
 */
public record ShareStateResult(Errors error, ShareSnapshot snapshot) {
    static ShareStateResult failed(Errors error) {
        return new ShareStateResult(error, null);
    }

    static ShareStateResult ok(ShareSnapshot snapshot) {
        return new ShareStateResult(Errors.NONE, snapshot);
    }
}
