package io.millrace.coordinator.runtime;

/**
 * One record of a coordinator's state, as stored in its {@code __consumer_offsets} partition.
 * On disk the Kafka record key is the 2-byte {@code keyType} followed by {@code key}; the value
 * is {@code value}, or null for a tombstone (which compaction later removes).
 *
 * <p>Key types (stable on disk, never reuse one): 1 offset commit, 2 classic group metadata,
 * 3 consumer group metadata, 4 consumer group subscription/partition metadata, 5 consumer group
 * member metadata, 6 consumer group target assignment metadata, 7 consumer group target
 * assignment of one member, 8 consumer group current assignment of one member. (Kafka uses the
 * same numbering for its own record kinds; the payload formats are ours.) {@code __transaction_state}
 * has one key type, 0, transaction metadata (see {@code txn.TransactionRecords}).
 */
public record CoordinatorRecord(short keyType, byte[] key, byte[] value) {
    public static final short OFFSET_COMMIT = 1;
    public static final short CLASSIC_GROUP = 2;
    public static final short CONSUMER_GROUP_METADATA = 3;
    public static final short CONSUMER_GROUP_PARTITION_METADATA = 4;
    public static final short CONSUMER_GROUP_MEMBER = 5;
    public static final short CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA = 6;
    public static final short CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER = 7;
    public static final short CONSUMER_GROUP_CURRENT_ASSIGNMENT = 8;

    public boolean isTombstone() {
        return value == null;
    }
}
