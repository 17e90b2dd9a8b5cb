package io.millrace.it.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures of a run, per fault kind: how many were injected, the longest time a partition went
 * without an acknowledgement (from the fault's start until the cluster healed and every
 * partition was acknowledged again), and the longest and shortest time from the fault's removal
 * to a full ISR. Printed, never asserted. {@link #sideBySide} prints several targets' columns.
 */
final class Report {
    /** One injected fault's figures. */
    record Sample(String kind, long gapMillis, long healMillis) {
    }

    private final String target;
    private final List<Sample> samples = new ArrayList<>();

    Report(String target) {
        this.target = target;
    }

    String target() {
        return target;
    }

    void add(Sample sample) {
        samples.add(sample);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** A table of this report alone. */
    String table() {
        return sideBySide(List.of(this));
    }

    /** One row per fault kind, and per report: count, longest gap, heal time range. */
    static String sideBySide(List<Report> reports) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-16s %-9s %6s %22s %24s%n", "fault", "target", "count",
                "longest no-ack gap (s)", "heal to full ISR (s)"));
        Map<String, Boolean> kinds = new LinkedHashMap<>();
        Faults.all().forEach(f -> kinds.put(f.kind(), true));
        for (String kind : kinds.keySet()) {
            for (Report report : reports) {
                List<Sample> of = report.samples.stream().filter(s -> s.kind().equals(kind)).toList();
                if (of.isEmpty()) {
                    continue;
                }
                long gap = of.stream().mapToLong(Sample::gapMillis).max().orElse(0);
                long healMin = of.stream().mapToLong(Sample::healMillis).min().orElse(0);
                long healMax = of.stream().mapToLong(Sample::healMillis).max().orElse(0);
                out.append(String.format("%-16s %-9s %6d %22.1f %24s%n", kind, report.target, of.size(), gap / 1000.0,
                        String.format("%.1f - %.1f", healMin / 1000.0, healMax / 1000.0)));
            }
        }
        return out.toString();
    }
}
