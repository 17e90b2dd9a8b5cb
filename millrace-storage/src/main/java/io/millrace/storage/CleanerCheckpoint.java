package io.millrace.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the log cleaner stopped in one partition, persisted so that a restart does not redo its
 * work: the file {@code cleaner-offset.checkpoint} in the partition directory (one per log rather
 * than Kafka's one per log dir, so a log's checkpoint lives and dies with its directory).
 *
 * <p>On-disk format: UTF-8 text, three lines: {@code version 0}, {@code firstDirtyOffset <n>}
 * (every offset below it has been through a cleaning) and {@code nextDeleteHorizonMs <n>} (the
 * earliest delete horizon of a batch still holding a tombstone or transaction marker, when a
 * cleaning would next remove one; -1 for none). Replaced atomically (temporary file, fsync,
 * rename).
 *
 * <p>Thread-safety: the state is changed under the log's append lock and read by anyone;
 * {@link #persist()} may run outside that lock and always writes the newest state.
 */
final class CleanerCheckpoint {
    static final String FILE_NAME = "cleaner-offset.checkpoint";
    private static final String VERSION_LINE = "version 0";
    private static final String DIRTY_KEY = "firstDirtyOffset ";
    private static final String HORIZON_KEY = "nextDeleteHorizonMs ";

    /**
     * @param firstDirtyOffset    every offset below it has been cleaned at least once
     * @param nextDeleteHorizonMs when the next tombstone or marker may be removed, -1 for none
     */
    record State(long firstDirtyOffset, long nextDeleteHorizonMs) {
        static final State NONE = new State(0, -1);
    }

    private final Path dir;
    private volatile State state;

    CleanerCheckpoint(Path dir, State initial) {
        this.dir = dir;
        this.state = initial;
    }

    State state() {
        return state;
    }

    /** Changes the state in memory (under the log's append lock); {@link #persist()} writes it. */
    void set(State newState) {
        state = newState;
    }

    /** Writes the current state; whoever writes last writes the newest. */
    synchronized void persist() throws IOException {
        write(dir, state);
    }

    static void write(Path dir, State state) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), VERSION_LINE + "\n" + DIRTY_KEY + state.firstDirtyOffset()
                + "\n" + HORIZON_KEY + state.nextDeleteHorizonMs() + "\n");
    }

    /** The stored state, or empty when there is no file or it cannot be parsed. */
    static Optional<State> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() != 3 || !lines.get(0).equals(VERSION_LINE) || !lines.get(1).startsWith(DIRTY_KEY)
                || !lines.get(2).startsWith(HORIZON_KEY)) {
            return Optional.empty();
        }
        try {
            long dirty = Long.parseLong(lines.get(1).substring(DIRTY_KEY.length()).trim());
            long horizon = Long.parseLong(lines.get(2).substring(HORIZON_KEY.length()).trim());
            return dirty >= 0 ? Optional.of(new State(dirty, horizon)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** After a truncation: a checkpoint past the new log end comes back to it, durably. */
    void lowerTo(long logEndOffset) throws IOException {
        State current = state();
        if (current.firstDirtyOffset() > logEndOffset) {
            set(new State(logEndOffset, current.nextDeleteHorizonMs()));
            persist();
        }
    }
}
