package io.millrace.common.config;

import java.util.List;

/**
 * The broker's configuration keys: Apache Kafka's names, types, defaults and validation, with
 * Millrace's own defaults where a single node must start without any configuration
 * ({@code node.id=1}, {@code listeners=PLAINTEXT://127.0.0.1:9092}, {@code log.dir=./data}).
 *
 * <p>Keys we accept but do not act on are defined too, so a real Kafka server.properties gives
 * no unknown-key warnings; each key's {@link Support} says whether it is acted on, ignored (with
 * a warning) or refused unless left at its default. Stateless and thread-safe.
 */
public final class BrokerConfigs {

    public static final String NODE_ID = "node.id";
    public static final String BROKER_ID = "broker.id";
    public static final String PROCESS_ROLES = "process.roles";
    public static final String CLUSTER_ID = "cluster.id";
    public static final String BROKER_RACK = "broker.rack";
    /** Millrace's own key: where /metrics is served (host:port), empty for nowhere. */
    public static final String METRICS_LISTENER = "millrace.metrics.listener";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String CONTROLLER_QUORUM_VOTERS = "controller.quorum.voters";
    public static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    public static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    public static final String METADATA_LOG_DIR = "metadata.log.dir";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String COMPRESSION_TYPE = "compression.type";

    public static final String LOG_DIR = "log.dir";
    public static final String LOG_DIRS = "log.dirs";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_ROLL_JITTER_MS = "log.roll.jitter.ms";
    public static final String LOG_ROLL_JITTER_HOURS = "log.roll.jitter.hours";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_PREALLOCATE = "log.preallocate";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_MIN_CLEANABLE_RATIO = "log.cleaner.min.cleanable.ratio";
    public static final String LOG_CLEANER_DELETE_RETENTION_MS = "log.cleaner.delete.retention.ms";
    public static final String LOG_CLEANER_MIN_COMPACTION_LAG_MS = "log.cleaner.min.compaction.lag.ms";
    public static final String LOG_CLEANER_MAX_COMPACTION_LAG_MS = "log.cleaner.max.compaction.lag.ms";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "log.message.timestamp.before.max.ms";
    public static final String LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = "log.message.timestamp.after.max.ms";

    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_COORDINATOR_REBALANCE_PROTOCOLS = "group.coordinator.rebalance.protocols";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    public static final String TRANSACTION_STATE_LOG_NUM_PARTITIONS = "transaction.state.log.num.partitions";
    public static final String TRANSACTION_STATE_LOG_REPLICATION_FACTOR = "transaction.state.log.replication.factor";
    public static final String TRANSACTION_STATE_LOG_MIN_ISR = "transaction.state.log.min.isr";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTION_PARTITION_VERIFICATION_ENABLE = "transaction.partition.verification.enable";
    public static final String ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS = "add.partitions.to.txn.retry.backoff.ms";
    public static final String ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS = "add.partitions.to.txn.retry.backoff.max.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    public static final String NUM_REPLICA_FETCHERS = "num.replica.fetchers";
    public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
    public static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";

    /** Prefix of Kafka's per-listener overrides (listener.name.NAME.key); accepted without warning. */
    public static final String LISTENER_OVERRIDE_PREFIX = "listener.name.";

    /** Every broker key, in a stable order (identity, quorum, network, ..., log, coordinators). */
    public static final ConfigDef DEF = build();

    private static final List<List<String>> SYNONYM_GROUPS = List.of(
            List.of(LOG_ROLL_MS, LOG_ROLL_HOURS),
            List.of(LOG_ROLL_JITTER_MS, LOG_ROLL_JITTER_HOURS),
            List.of(LOG_RETENTION_MS, LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS),
            List.of(LOG_FLUSH_INTERVAL_MS, LOG_FLUSH_SCHEDULER_INTERVAL_MS));

    private BrokerConfigs() {
    }

    private static ConfigDef build() {
        ConfigDef.Builder b = ConfigDef.builder();
        ServerKeys.define(b);
        LogKeys.define(b);
        CoordinatorKeys.define(b);
        ConsoleKeys.define(b);
        return b.build();
    }

    /** True when {@code key} is a broker key that may be changed at runtime. */
    public static boolean isDynamic(String key) {
        ConfigKey k = DEF.key(key);
        return k != null && k.dynamic();
    }

    /**
     * Checks a runtime (IncrementalAlterConfigs) update of a broker key and returns the typed
     * value. ConfigException when the key is unknown, read-only, or the value is invalid or not
     * supported yet ({@link Support#UNSUPPORTED}); the server answers INVALID_CONFIG (or
     * INVALID_REQUEST) with the message.
     */
    public static Object validateDynamic(String key, String value) {
        var listenerKey = ListenerSslKeys.parse(key);
        if (listenerKey.isPresent()) {
            return DEF.key(listenerKey.get().baseKey()).parse(value); // a per-listener key store or trust store
        }
        ConfigKey k = DEF.key(key);
        if (k == null) {
            throw new ConfigException("Unknown broker configuration '" + key + "'");
        }
        if (!k.dynamic()) {
            throw new ConfigException(key, value, "it is read-only and cannot be changed while the broker runs");
        }
        Object parsed = k.parse(value);
        String refusal = UnsupportedSettings.refusal(k, value);
        if (refusal != null) {
            throw new ConfigException(refusal);
        }
        return parsed;
    }

    /**
     * The broker keys that share a meaning with {@code key}, highest precedence first
     * (log.retention.ms, log.retention.minutes, log.retention.hours); the key alone otherwise.
     */
    public static List<String> synonyms(String key) {
        for (List<String> group : SYNONYM_GROUPS) {
            if (group.contains(key)) {
                return group;
            }
        }
        return List.of(key);
    }
}
