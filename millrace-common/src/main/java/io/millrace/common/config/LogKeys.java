package io.millrace.common.config;

import static io.millrace.common.config.ConfigType.BOOLEAN;
import static io.millrace.common.config.ConfigType.DOUBLE;
import static io.millrace.common.config.ConfigType.INT;
import static io.millrace.common.config.ConfigType.LIST;
import static io.millrace.common.config.ConfigType.LONG;
import static io.millrace.common.config.ConfigType.STRING;
import static io.millrace.common.config.Support.IGNORED;
import static io.millrace.common.config.Validator.atLeast;
import static io.millrace.common.config.Validator.between;
import static io.millrace.common.config.Validator.listOf;
import static io.millrace.common.config.Validator.nonBlank;
import static io.millrace.common.config.Validator.oneOf;

/**
 * Broker keys about the data directories and partition logs. Most are the broker-wide defaults
 * of a topic key (see {@link TopicConfigs#synonyms}); those are dynamic, as in Kafka, except the
 * secondary time units (hours, minutes), which are read-only.
 */
final class LogKeys {

    static final int ONE_MEBIBYTE = 1024 * 1024;

    private LogKeys() {
    }

    static void define(ConfigDef.Builder b) {
        directories(b);
        segments(b);
        retention(b);
        flushing(b);
        cleaning(b);
        messages(b);
    }

    private static void directories(ConfigDef.Builder b) {
        b.define(BrokerConfigs.LOG_DIR, STRING, "./data", nonBlank(),
                "The data directory, used when log.dirs is unset. Relative to the working directory. "
                        + "Kafka's default is /tmp/kafka-logs; Millrace's is ./data.");
        b.define(BrokerConfigs.LOG_DIRS, LIST, null, "Comma-separated data directories; when unset, log.dir.");
        b.define(BrokerConfigs.NUM_PARTITIONS, INT, 1, atLeast(1), "Partitions of a topic created without a count.");
        b.define(BrokerConfigs.DEFAULT_REPLICATION_FACTOR, INT, 1, atLeast(1),
                "Replicas of a topic created without a replication factor.");
        b.define(BrokerConfigs.AUTO_CREATE_TOPICS_ENABLE, BOOLEAN, true,
                "Whether a metadata or produce request for an unknown topic creates it.");
        b.define(BrokerConfigs.DELETE_TOPIC_ENABLE, BOOLEAN, true, "Whether topics may be deleted.");
        b.define(IGNORED, "log.dir.failure.timeout.ms", LONG, 30000L, atLeast(1),
                "How long a failed data directory may go unreported before the broker stops.");
        b.define(IGNORED, "log.initial.task.delay.ms", LONG, 30000L, atLeast(0),
                "Delay before the first background log task.");
    }

    private static void segments(ConfigDef.Builder b) {
        b.defineDynamic(BrokerConfigs.LOG_SEGMENT_BYTES, INT, 1073741824, atLeast(ONE_MEBIBYTE),
                "Largest size of one segment file.");
        b.defineDynamic(BrokerConfigs.LOG_ROLL_MS, LONG, null, atLeast(1),
                "Longest time before a new segment is rolled, in ms; when unset, log.roll.hours.");
        b.define(BrokerConfigs.LOG_ROLL_HOURS, INT, 168, atLeast(1),
                "Longest time before a new segment is rolled, in hours; below log.roll.ms.");
        b.defineDynamic(IGNORED, BrokerConfigs.LOG_ROLL_JITTER_MS, LONG, null, atLeast(0),
                "Most random time taken off the roll time, in ms; when unset, log.roll.jitter.hours.");
        b.define(IGNORED, BrokerConfigs.LOG_ROLL_JITTER_HOURS, INT, 0, atLeast(0),
                "Most random time taken off the roll time, in hours; below log.roll.jitter.ms.");
        b.defineDynamic(BrokerConfigs.LOG_INDEX_SIZE_MAX_BYTES, INT, 10485760, atLeast(4),
                "Largest size of a segment's offset index.");
        b.defineDynamic(BrokerConfigs.LOG_INDEX_INTERVAL_BYTES, INT, 4096, atLeast(0),
                "Bytes of log between two offset index entries.");
        b.defineDynamic(BrokerConfigs.LOG_PREALLOCATE, BOOLEAN, false, "Whether new segment files are preallocated.");
    }

    private static void retention(ConfigDef.Builder b) {
        b.defineDynamic(BrokerConfigs.LOG_RETENTION_MS, LONG, null,
                "How long a log segment is kept, in ms; -1 keeps it forever. When unset, log.retention.minutes.");
        b.define(BrokerConfigs.LOG_RETENTION_MINUTES, INT, null,
                "How long a log segment is kept, in minutes; below log.retention.ms.");
        b.define(BrokerConfigs.LOG_RETENTION_HOURS, INT, 168,
                "How long a log segment is kept, in hours; below log.retention.minutes.");
        b.defineDynamic(BrokerConfigs.LOG_RETENTION_BYTES, LONG, -1L,
                "Largest size of a partition before old segments are deleted; -1 for no limit.");
        b.define(BrokerConfigs.LOG_RETENTION_CHECK_INTERVAL_MS, LONG, 300000L, atLeast(1),
                "How often logs are checked for segments to delete.");
        b.defineDynamic(BrokerConfigs.LOG_SEGMENT_DELETE_DELAY_MS, LONG, 60000L, atLeast(0),
                "How long a deleted segment's files stay before they are removed.");
        b.defineDynamic(IGNORED, "log.local.retention.ms", LONG, -2L, atLeast(-2),
                "Local retention with tiered storage; -2 means log.retention.ms.");
        b.defineDynamic(IGNORED, "log.local.retention.bytes", LONG, -2L, atLeast(-2),
                "Local size limit with tiered storage; -2 means log.retention.bytes.");
    }

    private static void flushing(ConfigDef.Builder b) {
        b.defineDynamic(BrokerConfigs.LOG_FLUSH_INTERVAL_MESSAGES, LONG, Long.MAX_VALUE, atLeast(1),
                "Messages appended to a partition before it is fsynced.");
        b.defineDynamic(BrokerConfigs.LOG_FLUSH_INTERVAL_MS, LONG, null, atLeast(0),
                "Longest time unflushed data stays in memory; when unset, log.flush.scheduler.interval.ms.");
        b.define(BrokerConfigs.LOG_FLUSH_SCHEDULER_INTERVAL_MS, LONG, Long.MAX_VALUE,
                "How often the flusher checks whether a log needs an fsync.");
        b.define(IGNORED, "log.flush.offset.checkpoint.interval.ms", INT, 60000, atLeast(0),
                "How often the recovery point of each log is checkpointed.");
        b.define(IGNORED, "log.flush.start.offset.checkpoint.interval.ms", INT, 60000, atLeast(0),
                "How often the log start offset of each log is checkpointed.");
    }

    private static void cleaning(ConfigDef.Builder b) {
        b.defineDynamic(BrokerConfigs.LOG_CLEANUP_POLICY, LIST, "delete", listOf(false, "compact", "delete"),
                "Default cleanup policy of topics: delete, compact or both.");
        b.define(BrokerConfigs.LOG_CLEANER_ENABLE, BOOLEAN, true, "Whether the log cleaner (compaction) runs.");
        b.defineDynamic("log.cleaner.threads", INT, 1, atLeast(0), "Threads compacting logs.");
        b.defineDynamic("log.cleaner.io.max.bytes.per.second", DOUBLE, Double.MAX_VALUE, "I/O limit of the cleaner.");
        b.defineDynamic("log.cleaner.dedupe.buffer.size", LONG, 134217728L,
                "Memory for deduplication across cleaner threads.");
        b.defineDynamic("log.cleaner.io.buffer.size", INT, 524288, atLeast(0), "I/O buffer memory across cleaner threads.");
        b.defineDynamic("log.cleaner.io.buffer.load.factor", DOUBLE, 0.9, "Load factor of the cleaner's dedupe buffer.");
        b.defineDynamic("log.cleaner.backoff.ms", LONG, 15000L, atLeast(0),
                "Sleep of the cleaner when nothing is to clean.");
        b.defineDynamic(BrokerConfigs.LOG_CLEANER_MIN_CLEANABLE_RATIO, DOUBLE, 0.5, between(0, 1),
                "Least dirty fraction of a log before it is compacted.");
        b.defineDynamic(BrokerConfigs.LOG_CLEANER_DELETE_RETENTION_MS, LONG, 86400000L, atLeast(0),
                "How long tombstones are kept in compacted topics.");
        b.defineDynamic(BrokerConfigs.LOG_CLEANER_MIN_COMPACTION_LAG_MS, LONG, 0L, atLeast(0),
                "Least age of a message before it may be compacted.");
        b.defineDynamic(BrokerConfigs.LOG_CLEANER_MAX_COMPACTION_LAG_MS, LONG, Long.MAX_VALUE, atLeast(1),
                "Greatest age of a message before it must be compacted.");
    }

    private static void messages(ConfigDef.Builder b) {
        b.defineDynamic(BrokerConfigs.MESSAGE_MAX_BYTES, INT, 1048588, atLeast(0),
                "Largest record batch accepted, after compression.");
        b.defineDynamic(BrokerConfigs.MIN_INSYNC_REPLICAS, INT, 1, atLeast(1),
                "Replicas that must have a write acknowledged with acks=all.");
        b.defineDynamic(BrokerConfigs.UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false,
                "Whether a replica outside the ISR may become leader, losing data.");
        b.defineDynamic(BrokerConfigs.LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime",
                oneOf("CreateTime", "LogAppendTime"),
                "Whether a record keeps the producer's timestamp or gets the broker's append time.");
        b.defineDynamic(BrokerConfigs.LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG, Long.MAX_VALUE, atLeast(0),
                "How far in the past a CreateTime timestamp may be before the batch is rejected.");
        b.defineDynamic(BrokerConfigs.LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG, 3600000L, atLeast(0),
                "How far in the future a CreateTime timestamp may be before the batch is rejected.");
        b.defineDynamic(IGNORED, "log.message.downconversion.enable", BOOLEAN, true,
                "Whether records are down-converted for old consumers.");
    }
}
