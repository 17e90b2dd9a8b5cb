package io.millrace.coordinator.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What a shard's write operation changed besides its records, so the runtime can undo it when
 * the append fails, and the side effects that must wait until the records are committed.
 *
 * <p>A write operation must change no durable state (that is what its records, replayed, do),
 * but some protocols keep transient state that requests change directly: the classic group
 * protocol's rebalance in flight, timers. Such a change registers {@link #onRevert} (how to put
 * it back); a side effect that others observe — completing a parked request's future — goes
 * through {@link #afterCommit}, so nobody learns of a change that is then reverted or that is
 * not yet committed.
 *
 * <p>Lifecycle: the runtime opens it before each write operation and closes it after the
 * operation's records are appended and replayed (keep) or after the append failed (revert, in
 * reverse order of registration). Outside a write (loading, unloading, tests without a runtime)
 * nothing is undone and side effects happen at once.
 *
 * <p>Thread-safety: none; one per shard, used on its owner thread only.
 */
public final class WriteJournal {
    private boolean open;
    private final List<Runnable> undo = new ArrayList<>();
    private final List<Runnable> onKeep = new ArrayList<>();
    private List<Runnable> afterCommit = new ArrayList<>();

    /** Whether a write operation is running. */
    public boolean inWrite() {
        return open;
    }

    /** Registers how to undo a change just made, should the write's append fail. */
    public void onRevert(Runnable action) {
        if (open) {
            undo.add(action);
        }
    }

    /** Runs {@code action} once the write is kept (its records appended), or now outside a write. */
    public void onKeep(Runnable action) {
        if (open) {
            onKeep.add(action);
        } else {
            action.run();
        }
    }

    /**
     * Runs {@code effect} once the write's records are committed (or, for a write without records,
     * once everything appended before it is), or now outside a write. Dropped if the append fails.
     */
    public void afterCommit(Runnable effect) {
        if (open) {
            afterCommit.add(effect);
        } else {
            effect.run();
        }
    }

    void begin() {
        if (open) {
            throw new IllegalStateException("A write is already open");
        }
        open = true;
    }

    /** Undoes the write's changes, newest first, and drops its side effects. */
    void revert() {
        open = false;
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        clear();
    }

    /** Keeps the write's changes; returns the side effects to run once its records are committed. */
    List<Runnable> keep() {
        open = false;
        List<Runnable> effects = afterCommit;
        List<Runnable> keepActions = List.copyOf(onKeep);
        afterCommit = new ArrayList<>();
        clear();
        keepActions.forEach(Runnable::run);
        return effects;
    }

    private void clear() {
        undo.clear();
        onKeep.clear();
        afterCommit.clear();
    }
}
