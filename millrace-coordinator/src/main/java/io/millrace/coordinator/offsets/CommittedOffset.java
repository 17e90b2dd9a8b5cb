package io.millrace.coordinator.offsets;

/**
 * One committed offset of a group for one partition.
 *
 * @param leaderEpoch     the epoch the client saw, -1 when unknown
 * @param metadata        the client's metadata string, kept as given ("" when it sent null)
 * @param commitTimestamp when the coordinator accepted the commit
 * @param expireTimestamp when the commit expires regardless of the group (OffsetCommit v2-4
 *                        retention_time_ms), -1 when only the broker's retention applies
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp,
                              long expireTimestamp) {
}
