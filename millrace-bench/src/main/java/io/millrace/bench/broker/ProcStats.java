package io.millrace.bench.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one process's CPU time and memory from Linux's /proc. Stateless.
 *
 * <p>{@code /proc/<pid>/stat}: fields 14 and 15 (utime, stime) in clock ticks, counted after
 * the closing parenthesis of the command name (which may itself hold spaces). Linux reports
 * them in USER_HZ, which is 100 on every architecture the JDK runs on.
 * {@code /proc/stat}: the machine's CPU time by kind, also in USER_HZ.
 * {@code /proc/<pid>/status}: {@code VmHWM} (peak resident set) and {@code VmRSS}, in kB.
 */
public final class ProcStats {
    private static final double TICKS_PER_SECOND = 100.0;
    private static final int UTIME_AFTER_NAME = 11;
    private static final int STIME_AFTER_NAME = 12;

    private ProcStats() {
    }

    /** User plus system CPU seconds the process has used so far. */
    public static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat")).getFirst();
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[STIME_AFTER_NAME]);
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds the whole machine has been busy so far, over all cores: the user, nice,
     * system, irq, softirq and steal columns of {@code /proc/stat}'s first line.
     */
    public static double machineBusySeconds() {
        String[] fields = read(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long ticks = 0;
        for (int column : new int[] {1, 2, 3, 6, 7, 8}) {
            ticks += Long.parseLong(fields[column]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** The largest resident set the process has had, in bytes. */
    public static long peakRssBytes(long pid) {
        return statusKilobytes(pid, "VmHWM:") * 1024;
    }

    /** The process's resident set now, in bytes. */
    public static long rssBytes(long pid) {
        return statusKilobytes(pid, "VmRSS:") * 1024;
    }

    private static long statusKilobytes(long pid, String key) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(key + " missing from /proc/" + pid + "/status");
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + " (is the broker still running?)", e);
        }
    }
}
