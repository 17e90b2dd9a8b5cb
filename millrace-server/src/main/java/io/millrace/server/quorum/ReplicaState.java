package io.millrace.server.quorum;

/**
 * One member of the metadata quorum.
 *
 * @param logEndOffset          its log end, -1 when unknown
 * @param lastFetchTimestamp    leader wall-clock ms of its latest fetch, -1 when unknown
 * @param lastCaughtUpTimestamp leader wall-clock ms at which it was last caught up, -1 when unknown
 */
public record ReplicaState(int replicaId, long logEndOffset, long lastFetchTimestamp, long lastCaughtUpTimestamp) {
}
