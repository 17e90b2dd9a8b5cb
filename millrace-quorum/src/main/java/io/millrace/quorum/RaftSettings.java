package io.millrace.quorum;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings of the metadata quorum, in one place.
 *
 * <p>Election timeouts are 750-1500 ms: a follower that hears nothing for that long starts an
 * election; the leader sends heartbeats every ~375 ms (half the minimum). Ratis' default
 * 150-300 ms flaps on a loaded two-core machine, and so did 500-1000 ms under a load average of
 * 11 (several builds at once); failover measured ~1-2 s. Leader election uses pre-vote, so a partitioned node rejoining does
 * not depose a healthy leader.
 *
 * <p>A leader retries a failing follower every 250 ms at most (Ratis' default backs off to 5 s),
 * so a voter that restarts is caught up within moments of coming back.
 *
 * <p>Durability: a voter acknowledges an appended entry only after its log segment is forced to
 * disk (Ratis' log worker completes an append once {@code FileChannel.force} has run; neither
 * unsafe nor async flush). These are Ratis' defaults, set here explicitly so a change of default
 * cannot weaken them. A clean stop closes the Raft server, which flushes what it wrote and takes a
 * snapshot at the last applied index; entries the leader had sent but the voter had not yet
 * acknowledged may be gone after the restart (the leader then resends them): Ratis' leader advances
 * a follower's {@code nextIndex} when it sends, not when the follower acknowledges. Stateless.
 */
final class RaftSettings {
    static final TimeDuration ELECTION_TIMEOUT_MIN = TimeDuration.valueOf(750, TimeUnit.MILLISECONDS);
    static final TimeDuration ELECTION_TIMEOUT_MAX = TimeDuration.valueOf(1500, TimeUnit.MILLISECONDS);
    static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms,20, 250ms,1000000";
    static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    private RaftSettings() {
    }

    static RaftProperties server(QuorumConfig config, String bindHost, int port) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(config.dataDir().toFile()));
        GrpcConfigKeys.Server.setHost(properties, bindHost);
        GrpcConfigKeys.Server.setPort(properties, port);
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, ELECTION_TIMEOUT_MIN);
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, ELECTION_TIMEOUT_MAX);
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        RaftServerConfigKeys.LeaderElection.setPreVote(properties, true);
        // a JVM pause longer than this makes a follower skip one election round instead of flapping
        RaftServerConfigKeys.setSleepDeviationThreshold(properties, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setCreationGap(properties, Math.min(1024, config.snapshotThreshold()));
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(1024, config.snapshotThreshold()));
        // Ratis' default ("1ms,10, 1s,20, 5s,1000") makes the leader wait 5 s between attempts to a
        // follower that failed 30 times, e.g. one restarting: back, it was not contacted for seconds,
        // and when another voter stopped meanwhile the leader lost its majority and stepped down.
        // Never wait longer than a third of the minimum election timeout.
        properties.set(RaftServerConfigKeys.Log.Appender.RETRY_POLICY_KEY, APPENDER_RETRY_POLICY);
        // Ratis 3.3 queues each follower append through CompletableFuture's default executor, the
        // JVM's common ForkJoinPool (one worker on two cores), and Ratis' own client blocks a thread
        // of that pool for 3 s or more whenever it resets a connection to the leader: a follower
        // whose forwarded commands failed then acknowledged nothing, and a new leader's first write
        // never committed (QuorumDurabilityIT hung). Append on the gRPC thread that received the entries.
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(properties, false);
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(properties, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(properties, false);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("8MB"));
        RaftServerConfigKeys.Log.setPreallocatedSize(properties, SizeInBytes.valueOf("1MB"));
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf("64MB"));
        return properties;
    }

    static RaftProperties client(Duration requestTimeout) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf("64MB"));
        return properties;
    }

    /**
     * The gRPC parameters of every Raft server and client of this node: mutual TLS with
     * {@code tls}, or nothing (plaintext) when it is null.
     */
    static Parameters rpc(QuorumTls tls) {
        Parameters parameters = new Parameters();
        if (tls != null) {
            GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(tls.keyManager(), tls.trustManager(), true));
        }
        return parameters;
    }

    /**
     * Retries a few times (not-leader, leader-not-ready, unreachable node: Ratis moves to the
     * suggested or next peer) but never after a time-out, which may have run the request: a
     * controller command must not run twice because a reply was slow.
     */
    static RetryPolicy clientRetryPolicy() {
        return event -> {
            Throwable cause = event.getCause();
            if (cause instanceof TimeoutIOException || event.getAttemptCount() >= 10) {
                return RetryPolicy.NO_RETRY_ACTION;
            }
            return () -> RETRY_SLEEP;
        };
    }
}
