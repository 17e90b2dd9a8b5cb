package io.millrace.bench.report;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What identifies one benchmark run in its saved results. Immutable.
 *
 * @param stamp     UTC minute the run started, {@code 2026-11-25T0310}: the prefix of its files
 * @param mode      "full", "quick" or "custom"
 * @param commit    the repository's short commit id, or "unknown"
 * @param machine   cores, memory and JDK, as one line
 * @param workloads the workload sizes, as one line
 */
public record RunInfo(String stamp, String mode, String commit, String machine, String workloads) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm");

    public static String stampOf(ZonedDateTime time) {
        return time.withZoneSameInstant(ZoneOffset.UTC).format(STAMP);
    }
}
