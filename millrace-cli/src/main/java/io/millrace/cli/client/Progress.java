package io.millrace.cli.client;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn at most every 200 ms: count, rate and, when the
 * total is known, a bar and the time left. Only drawn when asked for or when stderr is a
 * terminal, so scripts and pipes see no carriage returns. Not thread-safe except {@link #add}
 * from one thread while {@link #finish} is called after it.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 30;

    private final PrintWriter err;
    private final String unit;
    private final long total;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long count;
    private long lastDraw;

    /** @param total the expected count, or 0 when unknown */
    Progress(PrintWriter err, String unit, long total, boolean enabled) {
        this.err = err;
        this.unit = unit;
        this.total = total;
        this.enabled = enabled;
    }

    /** Whether a progress line should be drawn by default: stderr is a terminal. */
    static boolean terminal() {
        return System.console() != null;
    }

    void add(long n) {
        count += n;
        long now = System.nanoTime();
        if (enabled && now - lastDraw > REDRAW_NANOS) {
            lastDraw = now;
            draw(now, false);
        }
    }

    long count() {
        return count;
    }

    void finish() {
        if (enabled) {
            draw(System.nanoTime(), true);
        }
    }

    private void draw(long now, boolean last) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = count / seconds;
        StringBuilder line = new StringBuilder("\r");
        if (total > 0) {
            int filled = (int) Math.min(BAR, BAR * count / total);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(BAR - filled)).append("] ");
        }
        line.append(String.format(Locale.ROOT, "%,d %s", count, unit));
        if (total > 0) {
            line.append(String.format(Locale.ROOT, " of %,d", total));
        }
        line.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
        if (total > 0 && !last && rate > 0) {
            line.append(String.format(Locale.ROOT, ", %.0f s left", (total - count) / rate));
        }
        if (last) {
            line.append(String.format(Locale.ROOT, " in %.1f s%n", seconds));
        }
        err.print(line);
        err.flush();
    }
}
