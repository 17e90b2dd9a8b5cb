package io.millrace.storage;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Names of the files in a partition directory. A segment's files share its base offset written
 * as 20 zero-padded decimal digits, so that a directory listing sorts in offset order:
 * {@code 00000000000000001234.log}, {@code .index}, {@code .timeindex}, {@code .txnindex}; producer-state
 * snapshots use the same scheme ({@code <offset>.snapshot}). Stateless.
 */
final class SegmentFiles {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String TXN_INDEX_SUFFIX = ".txnindex";
    static final String SNAPSHOT_SUFFIX = ".snapshot";
    /** Appended to a file being removed, so a crash mid-removal leaves nothing that looks live. */
    static final String DELETED_SUFFIX = ".deleted";
    /** Appended to the files of a segment the cleaner is still writing (removed at start). */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** Appended to the files of a cleaned segment complete on disk and about to replace older ones. */
    static final String SWAP_SUFFIX = ".swap";
    /** Appended to a file being written before it is atomically renamed into place. */
    static final String TMP_SUFFIX = ".tmp";

    private static final int DIGITS = 20;

    private SegmentFiles() {
    }

    static String name(long offset, String suffix) {
        String digits = Long.toString(offset);
        return "0".repeat(DIGITS - digits.length()) + digits + suffix;
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(name(baseOffset, LOG_SUFFIX));
    }

    static Path indexFile(Path dir, long baseOffset) {
        return dir.resolve(name(baseOffset, INDEX_SUFFIX));
    }

    static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(name(baseOffset, TIME_INDEX_SUFFIX));
    }

    static Path txnIndexFile(Path dir, long baseOffset) {
        return dir.resolve(name(baseOffset, TXN_INDEX_SUFFIX));
    }

    static Path snapshotFile(Path dir, long offset) {
        return dir.resolve(name(offset, SNAPSHOT_SUFFIX));
    }

    /** The offset in a file name like {@code 00000000000000000042.log}, if it has that suffix. */
    static OptionalLong offsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != DIGITS + suffix.length()) {
            return OptionalLong.empty();
        }
        String digits = fileName.substring(0, DIGITS);
        for (int i = 0; i < DIGITS; i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
