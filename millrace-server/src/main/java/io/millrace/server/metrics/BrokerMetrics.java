package io.millrace.server.metrics;

import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.MetricsListener;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metrics.EventCounter;
import io.millrace.metrics.MetricsEndpoint;
import io.millrace.metrics.MillraceMetrics;
import io.millrace.metrics.TopicMeters;
import io.millrace.server.network.RequestObserver;
import io.millrace.server.network.SocketServer;
import io.millrace.server.partition.LocalPartitions;
import io.millrace.server.quorum.QuorumDescriber;
import io.millrace.server.partition.TopicThroughput;
import io.millrace.storage.StorageStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's metrics, as the broker wires them: the meters the request path records into (per
 * topic throughput, per API request metrics, ISR changes), the gauges computed at scrape time
 * from the node's state, and the {@code /metrics} listener when {@code millrace.metrics.listener}
 * names one. Metric names follow the Prometheus JMX exporter's rendering of Kafka's JMX names
 * (see millrace-metrics/README.md for the mapping).
 *
 * <p>Lifecycle: created with the broker, {@link #watch} once its parts exist, {@link #serve} (or
 * {@link #serveInBackground}) at the end of start-up, {@link #close} at shutdown. Thread-safe.
 */
public final class BrokerMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerMetrics.class);

    private final MillraceMetrics metrics = new MillraceMetrics();
    private final TopicThroughput throughput;
    private final RequestObserver requests;
    private final EventCounter isrShrinks;
    private final EventCounter isrExpands;
    private volatile MetricsEndpoint endpoint;
    private boolean closed; // guarded by this

    public BrokerMetrics() {
        TopicMeters topics = metrics.topics();
        throughput = new TopicThroughput() {
            @Override
            public void in(String topic, long bytes, long records) {
                topics.in(topic, bytes, records);
            }

            @Override
            public void out(String topic, long bytes) {
                topics.out(topic, bytes);
            }
        };
        int maxApiKey = 0;
        for (ApiKeys key : ApiKeys.values()) {
            maxApiKey = Math.max(maxApiKey, key.id);
        }
        requests = new RequestMetrics(metrics.requests(maxApiKey,
                id -> ApiKeys.hasId(id) ? ApiKeys.forId(id).name : null, code -> Errors.forCode((short) code).name()));
        isrShrinks = metrics.counter("kafka_server_replicamanager_isrshrinks",
                "ISR shrinks of partitions led here that the controller accepted");
        isrExpands = metrics.counter("kafka_server_replicamanager_isrexpands",
                "ISR expands of partitions led here that the controller accepted");
    }

    public TopicThroughput throughput() {
        return throughput;
    }

    public RequestObserver requests() {
        return requests;
    }

    public EventCounter isrShrinks() {
        return isrShrinks;
    }

    public EventCounter isrExpands() {
        return isrExpands;
    }

    /** Drops a topic's throughput series once the topic is deleted (told of each new image). */
    public MetadataListener deletedTopics() {
        return (previous, current) -> {
            if (previous.topicIdByName() != current.topicIdByName()) {
                forgetDeletedTopics(previous, current);
            }
        };
    }

    private void forgetDeletedTopics(MetadataImage previous, MetadataImage current) {
        previous.topicIdByName().keySet().forEach(name -> {
            if (!current.topicIdByName().containsKey(name)) {
                metrics.topics().remove(name);
            }
        });
    }

    /** Registers the gauges read from the node's parts when scraped. */
    public void watch(LocalPartitions partitions, Supplier<MetadataImage> image, BooleanSupplier activeController,
                      GroupCoordinatorService groups, StorageStats storage, SocketServer socketServer,
                      QuorumDescriber quorum) {
        PartitionGauges.register(metrics, partitions, image, activeController);
        QuorumGauges.register(metrics, quorum);
        GroupGauges.register(metrics, groups, partitions);
        metrics.counterOf("kafka_log_logcleaner_cleaner_runs", "Log cleaner runs that cleaned a log",
                samples -> samples.sample(storage.cleanerRuns()));
        storage.reportFlushesTo(metrics.latency("kafka_log_logflushstats_logflushrateandtime_seconds",
                "Time of each periodic log flush (flush.ms, flush.messages)")::recordNanos);
        metrics.gauge("kafka_server_socket_server_metrics_connection_count", "Connections open now, by listener",
                samples -> socketServer.connectionsByListener().forEach((listener, count) ->
                        samples.sample(count, listener)), "listener");
    }

    /** Registers the metadata apply lag gauges over the node's metadata log. */
    public void watchMetadataLog(MetadataLog metadataLog) {
        MetadataApplyGauges.register(metrics, metadataLog::applyPosition);
    }

    /**
     * Serves {@code /metrics} where {@code listener} says.
     *
     * @throws ConfigException naming the key when the address cannot be resolved or bound
     */
    public void serve(Optional<MetricsListener> listener) {
        if (listener.isEmpty()) {
            return;
        }
        MetricsListener address = listener.get();
        MetricsEndpoint started;
        try {
            started = metrics.serve(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()));
        } catch (IOException e) {
            throw new ConfigException(BrokerConfigs.METRICS_LISTENER, address.toString(),
                    "cannot serve metrics there (" + e.getMessage() + ")");
        }
        synchronized (this) {
            if (closed) {
                started.close(); // the node stopped (a failed start) while this one started
                return;
            }
            endpoint = started;
        }
        log.info("Serving Prometheus metrics on {}", started.url());
    }

    /**
     * {@link #serve} on a thread of its own, off the start-up's critical path: the Prometheus
     * client's HTTP server and the JVM's metrics load a few hundred classes, which took a third of
     * a single node's start to first acknowledged produce. The future fails with the
     * {@link ConfigException} of {@link #serve}; the broker waits for it before it reports started.
     */
    public CompletableFuture<Void> serveInBackground(Optional<MetricsListener> listener) {
        if (listener.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> served = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("metrics-start").start(() -> {
            try {
                serve(listener);
                served.complete(null);
            } catch (Throwable t) {
                served.completeExceptionally(t);
            }
        });
        return served;
    }

    /** The bound port of {@code /metrics}, empty when not served. */
    public Optional<Integer> port() {
        MetricsEndpoint current = endpoint;
        return current == null ? Optional.empty() : Optional.of(current.port());
    }

    @Override
    public void close() {
        MetricsEndpoint current;
        synchronized (this) {
            closed = true;
            current = endpoint;
            endpoint = null;
        }
        if (current != null) {
            current.close();
        }
    }
}
