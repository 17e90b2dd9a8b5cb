package io.millrace.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Follows a growing log file from a given position and copies each complete line to a console,
 * prefixed (like {@code tail -f | sed 's/^/[node-1] /'}). The node writes the file directly, so
 * it never depends on the launcher reading a pipe.
 *
 * <p>Threads: one daemon thread per tail; {@link #stop} (any thread) makes it copy what is left
 * and end.
 */
final class LogTail {
    private static final long POLL_MS = 100;

    private final Path file;
    private final PrintStream console;
    private final String prefix;
    private final Thread thread;
    private volatile boolean stopping;
    private long position;

    private LogTail(Path file, long from, PrintStream console, String prefix) {
        this.file = file;
        this.position = from;
        this.console = console;
        this.prefix = prefix;
        this.thread = Thread.ofPlatform().name("tail-" + file.getFileName()).daemon().unstarted(this::follow);
    }

    /** Starts copying the lines of {@code file} written after byte {@code from}. */
    static LogTail start(Path file, long from, PrintStream console, String prefix) {
        LogTail tail = new LogTail(file, from, console, prefix);
        tail.thread.start();
        return tail;
    }

    /** Copies the rest of the file, then ends; waits up to {@code millis} for that. */
    void stop(long millis) throws InterruptedException {
        stopping = true;
        thread.join(millis);
    }

    private void follow() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                boolean last = stopping; // read once more after a stop so nothing written before it is lost
                try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                    in.seek(position);
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        position += n;
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                console.println(prefix + line.toString(StandardCharsets.UTF_8));
                                line.reset();
                            } else {
                                line.write(buffer[i]);
                            }
                        }
                    }
                } catch (IOException e) {
                    // Not created yet or briefly unreadable: try again at the next poll.
                }
                if (last) {
                    if (line.size() > 0) {
                        console.println(prefix + line.toString(StandardCharsets.UTF_8));
                    }
                    return;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
