package io.millrace.storage;

/** A record's offset and its timestamp, as ListOffsets answers them. */
public record OffsetAndTimestamp(long offset, long timestamp, int leaderEpoch) {
}
