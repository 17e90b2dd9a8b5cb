package io.millrace.quorum;

import io.millrace.metadata.log.MetadataApplyPosition;
import io.millrace.metadata.log.MetadataPublisher;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the publisher of a node that is not a voter (process.roles=broker) current: long-polls
 * the quorum leader through the read-only path with "records after my record count"; the leader
 * answers with the batches after it from its recent tail, waits up to {@value #MAX_WAIT_MS} ms
 * for new ones, or sends the whole image when the asked count is too old (then the publisher is
 * reset to it).
 *
 * <p>Threads: one daemon thread, {@code metadata-follower}, owns the loop and is the only
 * writer of the publisher. {@link #close()} stops it.
 */
final class RemoteMetadataFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteMetadataFollower.class);
    static final long MAX_WAIT_MS = 500;
    private static final long ERROR_BACKOFF_MS = 200;

    private final MetadataQuorum quorum;
    private final MetadataPublisher publisher;
    private final Thread thread;
    private volatile boolean closed;
    /** The leader's record count as its last answer showed it, and when this node last matched it. */
    private volatile long leaderRecordCount = -1;
    private volatile long caughtUpAtMs = System.currentTimeMillis();

    RemoteMetadataFollower(MetadataQuorum quorum, MetadataPublisher publisher) {
        this.quorum = quorum;
        this.publisher = publisher;
        this.thread = new Thread(this::run, "metadata-follower");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        boolean failing = false;
        while (!closed) {
            try {
                long have = publisher.image().recordCount();
                QueryMessages.Reply reply = quorum.query(QueryMessages.fetch(have, MAX_WAIT_MS))
                        .get(MAX_WAIT_MS + MetadataQuorum.DEFAULT_COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (reply.error() != Errors.NONE) {
                    throw new IllegalStateException(reply.error() + ": " + reply.message());
                }
                QueryMessages.FetchResult result = QueryMessages.readFetchResult(reply.payload());
                apply(have, result);
                noteProgress(have, result);
                if (failing) {
                    log.info("Metadata follower: reached the quorum leader again");
                    failing = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    log.warn("Metadata follower: cannot fetch metadata from the quorum leader, retrying: {}", e.toString());
                    failing = true;
                }
                sleep(ERROR_BACKOFF_MS);
            }
        }
    }

    private void apply(long have, QueryMessages.FetchResult result) {
        if (result.snapshot()) {
            publisher.reset(result.snapshotRecords(), result.snapshotRecordCount());
            return;
        }
        long count = have;
        for (RecentBatches.Batch batch : result.batches()) {
            if (batch.recordCountAfter() - batch.records().size() != count) {
                return; // not contiguous with what we have: ask again from our count
            }
            publisher.publish(batch.records());
            count = batch.recordCountAfter();
        }
    }

    /** Where this node's image stands against the leader's (record counts). */
    MetadataApplyPosition position() {
        long applied = publisher.image().recordCount();
        return new MetadataApplyPosition(applied, Math.max(applied, leaderRecordCount), caughtUpAtMs);
    }

    private void noteProgress(long had, QueryMessages.FetchResult result) {
        long leader = result.snapshot() ? result.snapshotRecordCount()
                : result.batches().isEmpty() ? had : result.batches().getLast().recordCountAfter();
        leaderRecordCount = leader;
        if (publisher.image().recordCount() >= leader) {
            caughtUpAtMs = System.currentTimeMillis();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
