package io.millrace.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file {@code leader-epoch-checkpoint} in a partition directory: the entries of its
 * {@link LeaderEpochCache}.
 *
 * <p>On-disk format (Kafka's): UTF-8 text; a version line {@code 0}, a line with the number of
 * entries, then one line {@code <epoch> <startOffset>} per entry, epochs strictly increasing and
 * start offsets never decreasing. Replaced atomically (temporary file, fsync, rename).
 *
 * <p>Stateless; callers serialise writes (the log's append lock).
 */
final class LeaderEpochCheckpointFile {
    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final String VERSION = "0";

    private LeaderEpochCheckpointFile() {
    }

    static void write(Path dir, List<LeaderEpochCache.Entry> entries) throws IOException {
        write(dir, entries, true);
    }

    /** As above; with {@code fsync} false renamed into place unforced ({@link AtomicFiles#writeString(Path, String, boolean)}). */
    static void write(Path dir, List<LeaderEpochCache.Entry> entries, boolean fsync) throws IOException {
        StringBuilder text = new StringBuilder(32 + entries.size() * 24);
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (LeaderEpochCache.Entry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(FILE_NAME), text.toString(), fsync);
    }

    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE_NAME));
    }

    /** The stored entries; empty when there is no file or it is damaged (wrong version, count or order). */
    static Optional<List<LeaderEpochCache.Entry>> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try {
            if (lines.size() < 2 || !lines.get(0).trim().equals(VERSION)) {
                return Optional.empty();
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() != count + 2) {
                return Optional.empty();
            }
            List<LeaderEpochCache.Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String[] fields = lines.get(i + 2).trim().split("\\s+");
                if (fields.length != 2) {
                    return Optional.empty();
                }
                LeaderEpochCache.Entry entry = new LeaderEpochCache.Entry(Integer.parseInt(fields[0]),
                        Long.parseLong(fields[1]));
                if (entry.epoch() < 0 || entry.startOffset() < 0 || !entries.isEmpty()
                        && (entry.epoch() <= entries.getLast().epoch()
                        || entry.startOffset() < entries.getLast().startOffset())) {
                    return Optional.empty();
                }
                entries.add(entry);
            }
            return Optional.of(entries);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
