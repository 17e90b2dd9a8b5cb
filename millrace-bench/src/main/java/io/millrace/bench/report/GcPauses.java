package io.millrace.bench.report;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses a broker's JVM logged ({@code -Xlog:gc}, one line per collection,
 * e.g. {@code [12.3s] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 80M->12M(1024M) 3.456ms})
 * between two points of a run: {@link #mark} before, {@link #since} after. Not thread-safe.
 *
 * @param count    pauses
 * @param maxMs    the longest, in ms (0 when none)
 * @param totalMs  all of them together, in ms
 */
public record GcPauses(int count, double maxMs, double totalMs) {
    private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.* (\\d+(?:\\.\\d+)?)ms\\s*$");

    /** Where the log ends now (its length; 0 when it does not exist yet). */
    public static long mark(Path gcLog) throws IOException {
        return Files.exists(gcLog) ? Files.size(gcLog) : 0;
    }

    /** The pauses logged after {@code mark}. */
    public static GcPauses since(Path gcLog, long mark) throws IOException {
        if (!Files.exists(gcLog)) {
            return new GcPauses(0, 0, 0);
        }
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(gcLog.toFile(), "r")) {
            long length = file.length();
            bytes = new byte[(int) Math.max(0, length - mark)];
            file.seek(Math.min(mark, length));
            file.readFully(bytes);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The pauses of several nodes' logs, each from its own mark, as one figure. */
    public static GcPauses sum(Collection<GcPauses> nodes) {
        int count = 0;
        double max = 0;
        double total = 0;
        for (GcPauses node : nodes) {
            count += node.count;
            max = Math.max(max, node.maxMs);
            total += node.totalMs;
        }
        return new GcPauses(count, max, total);
    }

    static GcPauses parse(String lines) {
        int count = 0;
        double max = 0;
        double total = 0;
        for (String line : lines.split("\n")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(1));
                count++;
                max = Math.max(max, ms);
                total += ms;
            }
        }
        return new GcPauses(count, max, total);
    }
}
