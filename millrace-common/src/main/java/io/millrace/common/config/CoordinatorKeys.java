package io.millrace.common.config;

import static io.millrace.common.config.ConfigType.BOOLEAN;
import static io.millrace.common.config.ConfigType.INT;
import static io.millrace.common.config.ConfigType.LIST;
import static io.millrace.common.config.ConfigType.LONG;
import static io.millrace.common.config.ConfigType.SHORT;
import static io.millrace.common.config.ConfigType.STRING;
import static io.millrace.common.config.Support.IGNORED;
import static io.millrace.common.config.Validator.atLeast;
import static io.millrace.common.config.Validator.between;
import static io.millrace.common.config.Validator.listOf;
import static io.millrace.common.config.Validator.oneOf;

/** Broker keys of the group, offset, transaction and share coordinators, and of replication. */
final class CoordinatorKeys {

    private CoordinatorKeys() {
    }

    static void define(ConfigDef.Builder b) {
        offsets(b);
        groups(b);
        transactions(b);
        replication(b);
    }

    private static void offsets(ConfigDef.Builder b) {
        b.define(BrokerConfigs.OFFSETS_TOPIC_NUM_PARTITIONS, INT, 50, atLeast(1),
                "Partitions of __consumer_offsets; fixed once the topic exists.");
        b.define(BrokerConfigs.OFFSETS_TOPIC_REPLICATION_FACTOR, SHORT, 3, atLeast(1),
                "Replication factor of __consumer_offsets, capped by the brokers alive when it is created.");
        b.define("offsets.topic.segment.bytes", INT, 104857600, atLeast(1), "Segment size of __consumer_offsets.");
        b.define(IGNORED, "offsets.topic.compression.codec", INT, 0, "Compression codec id of offset commits written.");
        b.define("offsets.load.buffer.size", INT, 5242880, atLeast(1), "Read buffer when loading offsets.");
        b.define(BrokerConfigs.OFFSETS_RETENTION_MINUTES, INT, 10080, atLeast(1),
                "How long committed offsets of an empty group are kept.");
        b.define("offsets.retention.check.interval.ms", LONG, 600000L, atLeast(1), "How often stale offsets are removed.");
        b.define(IGNORED, "offsets.commit.timeout.ms", INT, 5000, atLeast(1),
                "How long an offset commit may wait for replication.");
        b.define("offset.metadata.max.bytes", INT, 4096, "Largest metadata string of an offset commit.");
    }

    private static void groups(ConfigDef.Builder b) {
        b.define(BrokerConfigs.GROUP_INITIAL_REBALANCE_DELAY_MS, INT, 3000,
                "How long a new classic group waits for more members before its first rebalance.");
        b.define(BrokerConfigs.GROUP_MIN_SESSION_TIMEOUT_MS, INT, 6000, "Least session timeout of a classic group member.");
        b.define(BrokerConfigs.GROUP_MAX_SESSION_TIMEOUT_MS, INT, 1800000,
                "Greatest session timeout of a classic group member.");
        b.define("group.max.size", INT, Integer.MAX_VALUE, atLeast(1), "Most members of a classic group.");
        b.define(BrokerConfigs.GROUP_COORDINATOR_REBALANCE_PROTOCOLS, LIST, "classic,consumer",
                listOf(false, "classic", "consumer", "share", "streams"), "Group protocols the coordinator serves.");
        b.define("group.coordinator.threads", INT, 4, atLeast(1), "Threads of the group coordinator.");
        b.define(BrokerConfigs.GROUP_CONSUMER_ASSIGNORS, LIST, "uniform,range",
                "Server-side assignors of consumer groups; the first is the default.");
        b.define("group.consumer.session.timeout.ms", INT, 45000, atLeast(1), "Session timeout of consumer group members.");
        b.define("group.consumer.min.session.timeout.ms", INT, 45000, atLeast(1), "Least consumer session timeout.");
        b.define("group.consumer.max.session.timeout.ms", INT, 60000, atLeast(1), "Greatest consumer session timeout.");
        b.define("group.consumer.heartbeat.interval.ms", INT, 5000, atLeast(1), "Heartbeat interval of consumer members.");
        b.define("group.consumer.min.heartbeat.interval.ms", INT, 5000, atLeast(1), "Least consumer heartbeat interval.");
        b.define("group.consumer.max.heartbeat.interval.ms", INT, 15000, atLeast(1),
                "Greatest consumer heartbeat interval.");
        b.define("group.consumer.max.size", INT, Integer.MAX_VALUE, atLeast(1), "Most members of a consumer group.");
        b.define(IGNORED, "group.consumer.migration.policy", STRING, "bidirectional",
                oneOf("disabled", "downgrade", "upgrade", "bidirectional"),
                "Whether groups convert between the classic and consumer protocols.");
        streamsGroups(b);
        shareGroups(b);
        b.define("share.coordinator.state.topic.num.partitions", INT, 50, atLeast(1),
                "Partitions of __share_group_state.");
        b.define("share.coordinator.state.topic.replication.factor", SHORT, 3, atLeast(1),
                "Replication factor of __share_group_state.");
        b.define("share.coordinator.state.topic.min.isr", SHORT, 2, atLeast(1),
                "min.insync.replicas of __share_group_state.");
        b.define("share.coordinator.state.topic.segment.bytes", INT, 104857600, atLeast(1),
                "Segment size of __share_group_state.");
        b.define("share.coordinator.load.buffer.size", INT, 5242880, atLeast(1),
                "Bytes read at a time when the share coordinator loads a __share_group_state partition.");
    }

    private static void transactions(ConfigDef.Builder b) {
        b.define(BrokerConfigs.TRANSACTION_STATE_LOG_NUM_PARTITIONS, INT, 50, atLeast(1),
                "Partitions of __transaction_state; fixed once the topic exists.");
        b.define(BrokerConfigs.TRANSACTION_STATE_LOG_REPLICATION_FACTOR, SHORT, 3, atLeast(1),
                "Replication factor of __transaction_state, capped by the brokers alive when it is created.");
        b.define(BrokerConfigs.TRANSACTION_STATE_LOG_MIN_ISR, INT, 2, atLeast(1),
                "min.insync.replicas of __transaction_state.");
        b.define("transaction.state.log.segment.bytes", INT, 104857600, atLeast(1),
                "Segment size of __transaction_state.");
        b.define("transaction.state.log.load.buffer.size", INT, 5242880, atLeast(1),
                "Read buffer when loading transactions.");
        b.define(BrokerConfigs.TRANSACTIONAL_ID_EXPIRATION_MS, INT, 604800000, atLeast(1),
                "How long an idle transactional id is remembered.");
        b.define(BrokerConfigs.TRANSACTION_MAX_TIMEOUT_MS, INT, 900000, atLeast(1),
                "Greatest transaction timeout a producer may ask for.");
        b.define("transaction.abort.timed.out.transaction.cleanup.interval.ms", INT, 10000, atLeast(1),
                "How often timed-out transactions are aborted.");
        b.define("transaction.remove.expired.transaction.cleanup.interval.ms", INT, 3600000, atLeast(1),
                "How often expired transactional ids are removed.");
        b.defineDynamic(BrokerConfigs.TRANSACTION_PARTITION_VERIFICATION_ENABLE, BOOLEAN, true,
                "Whether a partition leader checks with the transaction coordinator that a transactional write "
                        + "beginning a transaction there belongs to it (KIP-890; transaction version 2 always adds "
                        + "the partition).");
        b.define(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS, INT, 20, atLeast(1),
                "How long a partition leader waits before asking the transaction coordinator again to add a "
                        + "partition (transaction version 2 Produce) while it completes the previous transaction.");
        b.define(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS, INT, 100, atLeast(0),
                "How long a partition leader keeps asking the transaction coordinator again to add a partition "
                        + "(transaction version 2 Produce) before answering CONCURRENT_TRANSACTIONS; at most 30000.");
        b.defineDynamic(BrokerConfigs.PRODUCER_ID_EXPIRATION_MS, INT, 86400000, atLeast(1),
                "How long a partition keeps an idle producer's state (no write, no open transaction).");
        b.define(BrokerConfigs.PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS, INT, 600000, atLeast(1),
                "How often partitions forget producers idle longer than producer.id.expiration.ms.");
    }

    private static void replication(ConfigDef.Builder b) {
        b.define(BrokerConfigs.REPLICA_LAG_TIME_MAX_MS, LONG, 30000L,
                "A follower that has not caught up for this long leaves the ISR.");
        b.defineDynamic(IGNORED, BrokerConfigs.NUM_REPLICA_FETCHERS, INT, 1, "Fetcher threads per source broker.");
        b.define(BrokerConfigs.REPLICA_FETCH_MAX_BYTES, INT, 1048576, atLeast(0),
                "Bytes fetched per partition by a follower.");
        b.define("replica.fetch.wait.max.ms", INT, 500, "Longest wait of a follower's fetch.");
        b.define("replica.fetch.min.bytes", INT, 1, "Least bytes a follower's fetch waits for.");
        b.define("replica.fetch.response.max.bytes", INT, 10485760, atLeast(0), "Bytes per follower fetch response.");
        b.define("replica.fetch.backoff.ms", INT, 1000, atLeast(0), "Sleep of a follower after a fetch error.");
        b.define("replica.socket.timeout.ms", INT, 30000, "Socket timeout of follower fetches.");
        b.define(IGNORED, "replica.socket.receive.buffer.bytes", INT, 65536, "SO_RCVBUF of follower connections.");
        b.define(IGNORED, "replica.high.watermark.checkpoint.interval.ms", LONG, 5000L,
                "How often high watermarks are saved.");
        b.define(IGNORED, "replica.selector.class", STRING, null, "Chooses the replica a consumer fetches from.");
        b.define(BrokerConfigs.AUTO_LEADER_REBALANCE_ENABLE, BOOLEAN, true,
                "Whether leadership moves back to preferred replicas in the background.");
        b.define("leader.imbalance.check.interval.seconds", LONG, 300L, atLeast(1), "How often leader balance is checked.");
        b.define(IGNORED, "leader.imbalance.per.broker.percentage", INT, 10,
                "Imbalance per broker that triggers a rebalance.");
    }

    /**
     * KIP-932 share groups, with Kafka 4.4's names and defaults (the assignor choice is accepted,
     * not acted on: every member gets every partition).
     */
    private static void shareGroups(ConfigDef.Builder b) {
        b.define("group.share.session.timeout.ms", INT, 45000, atLeast(1), "Session timeout of share group members.");
        b.define("group.share.min.session.timeout.ms", INT, 45000, atLeast(1), "Least share session timeout.");
        b.define("group.share.max.session.timeout.ms", INT, 60000, atLeast(1), "Greatest share session timeout.");
        b.define("group.share.heartbeat.interval.ms", INT, 5000, atLeast(1), "Heartbeat interval of share members.");
        b.define("group.share.min.heartbeat.interval.ms", INT, 5000, atLeast(1), "Least share heartbeat interval.");
        b.define("group.share.max.heartbeat.interval.ms", INT, 15000, atLeast(1), "Greatest share heartbeat interval.");
        b.define("group.share.max.size", INT, 200, between(1, 1000), "Most members of a share group.");
        b.define("group.share.record.lock.duration.ms", INT, 30000, atLeast(1000),
                "How long a share consumer holds the records it acquired before they are available again.");
        b.define("group.share.min.record.lock.duration.ms", INT, 15000, atLeast(1000),
                "Least share.record.lock.duration.ms of a group.");
        b.define("group.share.max.record.lock.duration.ms", INT, 60000, atLeast(1000),
                "Greatest share.record.lock.duration.ms of a group.");
        b.define("group.share.delivery.count.limit", INT, 5, between(2, 10),
                "Deliveries of a record after which it is archived rather than delivered again.");
        b.define("group.share.partition.max.record.locks", INT, 2000, between(100, 10000),
                "Most records of one share-partition acquired at once.");
        b.define("group.share.min.delivery.count.limit", INT, 2, between(2, 10),
                "Least share.delivery.count.limit of a group.");
        b.define("group.share.max.delivery.count.limit", INT, 10, between(2, 10),
                "Greatest share.delivery.count.limit of a group.");
        b.define("group.share.min.partition.max.record.locks", INT, 100, between(100, 10000),
                "Least share.partition.max.record.locks of a group.");
        b.define("group.share.max.partition.max.record.locks", INT, 4000, between(100, 10000),
                "Greatest share.partition.max.record.locks of a group.");
        b.define("group.share.max.share.sessions", INT, 2000, atLeast(1), "Most share sessions of a broker.");
        b.define(IGNORED, "group.share.assignors", LIST, "simple", "Server-side assignors of share groups.");
        b.define("errors.deadletterqueue.auto.create.topics.enable", BOOLEAN, false,
                "Whether a share group's dead-letter topic (KIP-1191) that does not exist is created on first use.");
        b.define("errors.deadletterqueue.topic.name.prefix", STRING, "dlq.",
                "The prefix every share group's dead-letter topic name must have; empty for none.");
    }

    /** KIP-1071 streams groups, with Kafka 4.4's names and defaults. */
    private static void streamsGroups(ConfigDef.Builder b) {
        b.define("group.streams.session.timeout.ms", INT, 45000, atLeast(1), "Session timeout of streams group members.");
        b.define("group.streams.min.session.timeout.ms", INT, 45000, atLeast(1), "Least streams session timeout.");
        b.define("group.streams.max.session.timeout.ms", INT, 60000, atLeast(1), "Greatest streams session timeout.");
        b.define("group.streams.heartbeat.interval.ms", INT, 5000, atLeast(1), "Heartbeat interval of streams members.");
        b.define("group.streams.min.heartbeat.interval.ms", INT, 5000, atLeast(1), "Least streams heartbeat interval.");
        b.define("group.streams.max.heartbeat.interval.ms", INT, 15000, atLeast(1),
                "Greatest streams heartbeat interval.");
        b.define("group.streams.max.size", INT, Integer.MAX_VALUE, atLeast(1), "Most members of a streams group.");
        b.define("group.streams.num.standby.replicas", INT, 0, atLeast(0), "Standby replicas of each streams task.");
        b.define("group.streams.max.standby.replicas", INT, 2, atLeast(0),
                "Greatest streams.num.standby.replicas of a group.");
        b.define("group.streams.task.offset.interval.ms", INT, 60000, atLeast(1),
                "How often streams members report their task offsets.");
        b.define("group.streams.min.task.offset.interval.ms", INT, 15000, atLeast(1),
                "Least streams.task.offset.interval.ms of a group.");
        b.define("group.streams.acceptable.recovery.lag", LONG, 10000L, atLeast(0),
                "Lag within which a streams member counts as caught up on a task.");
        b.define("group.streams.initial.rebalance.delay.ms", INT, 3000, atLeast(0),
                "How long a new streams group waits for more members before its first assignment.");
        b.define("group.streams.assignment.interval.ms", INT, 1000, atLeast(0),
                "Least time between two assignments of a streams group.");
        b.define(IGNORED, "group.streams.min.assignment.interval.ms", INT, 0, atLeast(0),
                "Least streams.assignment.interval.ms of a group.");
        b.define(IGNORED, "group.streams.max.assignment.interval.ms", INT, 15000, atLeast(0),
                "Greatest streams.assignment.interval.ms of a group.");
        b.define("group.streams.num.warmup.replicas", INT, 2, atLeast(0),
                "Most warm-up replicas of streams tasks.");
        b.define(IGNORED, "group.streams.max.warmup.replicas", INT, 20, atLeast(0),
                "Greatest streams.num.warmup.replicas of a group.");
        b.define("group.streams.rack.aware.assignment.tags", LIST, "",
                "Client tags standby replicas of streams tasks are spread over.");
        b.define(IGNORED, "group.streams.assignor.offload.enable", BOOLEAN, true,
                "Whether streams assignments run off the coordinator thread.");
    }
}
