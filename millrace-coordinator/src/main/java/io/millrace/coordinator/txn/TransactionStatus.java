package io.millrace.coordinator.txn;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where a transactional id's transaction stands, as Kafka's transaction coordinator names it.
 * The {@link #id()} is stored in {@code __transaction_state} (stable on disk, never reuse one);
 * the {@link #displayName()} is what ListTransactions and DescribeTransactions report.
 *
 * <p>{@link #canFollow} holds the allowed predecessors: a transition outside them is a bug, and
 * {@link TransactionMetadata#transitionTo} refuses it. PREPARE_EPOCH_FENCE is never written: it
 * is the in-memory step between an ONGOING transaction and its abort when a new producer (or the
 * time-out) fences the old one; PREPARE_ABORT may follow EMPTY and COMPLETE_* only for transaction
 * version 2 (an abort without a transaction). Immutable.
 */
public enum TransactionStatus {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final short id;
    private final String displayName;

    TransactionStatus(int id, String displayName) {
        this.id = (short) id;
        this.displayName = displayName;
    }

    public short id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The statuses this one may follow. */
    public Set<TransactionStatus> predecessors() {
        return switch (this) {
            case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case ONGOING -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_COMMIT -> EnumSet.of(ONGOING);
            case PREPARE_ABORT -> EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
            case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
            case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
        };
    }

    public boolean canFollow(TransactionStatus previous) {
        return predecessors().contains(previous);
    }

    /** PREPARE_COMMIT or PREPARE_ABORT: markers are being written. */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** EMPTY, COMPLETE_COMMIT or COMPLETE_ABORT: no transaction open, a new one may begin. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    public static TransactionStatus fromId(short id) {
        for (TransactionStatus status : values()) {
            if (status.id == id) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown transaction status " + id);
    }

    /** The status named {@code displayName} as ListTransactions filters name it (case-sensitive, as Kafka). */
    public static Optional<TransactionStatus> fromDisplayName(String displayName) {
        for (TransactionStatus status : values()) {
            if (status.displayName.equals(displayName)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
