package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File operations the log needs whole or not at all: replacing a small file atomically (write a
 * temporary sibling, fsync it, rename it over) and removing a directory tree. Stateless.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    static void writeString(Path file, String content) throws IOException {
        writeString(file, content, true);
    }

    /**
     * As {@link #writeString(Path, String)}; with {@code fsync} false the content is not forced
     * before the rename: it survives the process dying, but after an OS crash the file may be
     * missing or empty until someone calls {@link #fsync} on it.
     */
    static void writeString(Path file, String content, boolean fsync) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + SegmentFiles.TMP_SUFFIX);
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forces {@code file}'s content to disk. */
    static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Deletes {@code directory} and everything under it; nothing when it does not exist. */
    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
