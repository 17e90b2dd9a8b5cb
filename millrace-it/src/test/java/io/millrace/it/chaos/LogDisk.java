package io.millrace.it.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A node's log directory on a small tmpfs of its own, so a test can fill it up (a full disk) and
 * free it again. Mounting needs root; {@link #mount} returns null where it is not possible, and
 * the caller skips the full-disk fault. Used by the test thread only.
 */
final class LogDisk implements AutoCloseable {
    private static final String FILLER = "chaos-filler.bin";
    private final Path dir;

    private LogDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code megabytes} MiB on {@code dir} (created), or returns null with a printed note. */
    static LogDisk mount(Path dir, int megabytes) {
        try {
            Files.createDirectories(dir);
            if (run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString()) != 0) {
                System.out.println("chaos: cannot mount a tmpfs on " + dir + " (not root?): the full-disk fault is skipped");
                return null;
            }
            return new LogDisk(dir);
        } catch (IOException e) {
            System.out.println("chaos: cannot mount a tmpfs on " + dir + " (" + e + "): the full-disk fault is skipped");
            return null;
        }
    }

    Path dir() {
        return dir;
    }

    /** Writes a filler file until the disk is full; returns the bytes written. */
    long fill() throws IOException {
        long written = 0;
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILLER))) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return written;
    }

    /** Deletes the filler: space returns. */
    void free() throws IOException {
        Files.deleteIfExists(dir.resolve(FILLER));
    }

    @Override
    public void close() {
        try {
            run("umount", "-l", dir.toString());
        } catch (IOException e) {
            System.out.println("chaos: cannot unmount " + dir + ": " + e);
        }
    }

    private static int run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
