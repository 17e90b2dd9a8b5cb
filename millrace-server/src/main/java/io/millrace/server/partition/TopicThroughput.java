package io.millrace.server.partition;

/**
 * Where {@link PartitionAccess} counts what goes in and out of each topic: once per partition per
 * request, with the whole batches' byte size and record count (read from the append's result, not
 * by walking records). Implementations must be thread-safe and cheap: they run on request threads.
 */
public interface TopicThroughput {

    /** {@code bytes} of batches holding {@code records} records appended as leader to a partition of {@code topic}. */
    void in(String topic, long bytes, long records);

    /** {@code bytes} of batches read for a consumer from a partition of {@code topic}. */
    void out(String topic, long bytes);

    /** Counts nothing. */
    TopicThroughput NONE = new TopicThroughput() {
        @Override
        public void in(String topic, long bytes, long records) {
        }

        @Override
        public void out(String topic, long bytes) {
        }
    };
}
