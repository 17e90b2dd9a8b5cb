package io.millrace.server.metrics;

import io.millrace.metrics.MillraceMetrics;
import io.millrace.server.quorum.QuorumDescriber;
import io.millrace.server.quorum.QuorumState;
import io.millrace.server.quorum.ReplicaState;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata quorum as DescribeQuorum shows it, at scrape time: the high watermark of the
 * metadata log, its leader, and each voter's lag behind the high watermark (as
 * {@code kafka-metadata-quorum.sh describe --replication} prints it), as the quorum's leader
 * reports them. A scrape where the quorum does not answer (no leader) has none of these samples.
 *
 * <p>Thread-safe; waits at most {@value #TIMEOUT_MS} ms for the quorum.
 */
final class QuorumGauges {
    private static final Logger log = LoggerFactory.getLogger(QuorumGauges.class);
    private static final long TIMEOUT_MS = 2_000;

    private QuorumGauges() {
    }

    static void register(MillraceMetrics metrics, QuorumDescriber quorum) {
        metrics.gauge("kafka_server_raft_metrics_high_watermark", "The metadata log's high watermark",
                samples -> describe(quorum, state -> samples.sample(state.highWatermark())));
        metrics.gauge("kafka_server_raft_metrics_current_leader", "The node leading the metadata quorum",
                samples -> describe(quorum, state -> samples.sample(state.leaderId())));
        metrics.gauge("millrace_metadata_replica_lag",
                "Metadata records a voter is behind the metadata log's high watermark (DescribeQuorum's lag)",
                samples -> describe(quorum, state -> {
                    for (ReplicaState voter : state.voters()) {
                        if (voter.logEndOffset() >= 0) {
                            samples.sample(Math.max(0, state.highWatermark() - voter.logEndOffset()),
                                    Integer.toString(voter.replicaId()));
                        }
                    }
                }), "replica");
    }

    private static void describe(QuorumDescriber quorum, Consumer<QuorumState> use) {
        Optional<QuorumState> state;
        try {
            state = Optional.of(quorum.describe().get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.debug("The metadata quorum did not answer for this scrape: {}", e.toString());
            return;
        }
        state.ifPresent(use);
    }
}
