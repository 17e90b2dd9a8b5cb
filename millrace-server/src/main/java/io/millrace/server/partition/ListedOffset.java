package io.millrace.server.partition;

import org.apache.kafka.common.protocol.Errors;

/** What ListOffsets answers for one partition: an error, or an offset (-1: none) with its timestamp and leader epoch. */
public record ListedOffset(Errors error, long offset, long timestamp, int leaderEpoch) {
    static final ListedOffset NONE = new ListedOffset(Errors.NONE, -1, -1, -1);

    static ListedOffset failed(Errors error) {
        return new ListedOffset(error, -1, -1, -1);
    }
}
