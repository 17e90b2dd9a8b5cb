package io.millrace.server.metrics;

import io.millrace.metadata.log.MetadataApplyPosition;
import io.millrace.metrics.MillraceMetrics;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How far this node's metadata image is behind the metadata log, as Kafka's
 * {@code kafka.server:type=broker-metadata-metrics} reports it: the offset of the last entry
 * applied ({@code last-applied-record-offset}) and how long the node has been behind
 * ({@code last-applied-record-lag-ms}), plus the entries committed but not applied yet. The offsets
 * are in the metadata log's own space ({@link MetadataApplyPosition}): on a cluster voter, Raft
 * log indexes, as {@code kafka_server_raft_metrics_high_watermark}; on a single node, record
 * counts, as its high watermark too.
 *
 * <p>Kafka's lag-ms is the age of the last applied batch (its controller writes a no-op batch
 * every 500 ms, so an idle cluster stays near 0); here batches carry no append time, so it is the
 * time since this node last had every entry it knew committed applied, 0 when it has.
 *
 * <p>Thread-safe: read at scrape time from volatile state of the metadata log.
 */
final class MetadataApplyGauges {

    private MetadataApplyGauges() {
    }

    static void register(MillraceMetrics metrics, Supplier<Optional<MetadataApplyPosition>> position) {
        metrics.gauge("kafka_server_broker_metadata_metrics_last_applied_record_offset",
                "The metadata log offset of the last entry applied to this node's image (Raft index on a voter, "
                        + "record count on a single node)",
                samples -> position.get().ifPresent(p -> samples.sample(p.lastAppliedOffset())));
        metrics.gauge("kafka_server_broker_metadata_metrics_last_applied_record_lag_ms",
                "Milliseconds since this node last had every committed metadata entry applied (0 when it has)",
                samples -> position.get().ifPresent(p -> samples.sample(p.lagMs(System.currentTimeMillis()))));
        metrics.gauge("millrace_metadata_apply_offset_lag",
                "Metadata log entries committed but not yet applied to this node's image",
                samples -> position.get().ifPresent(p -> samples.sample(p.offsetLag())));
    }
}
