package io.millrace.bench;

import java.util.Map;

/**
 * A table of labelled figures of both brokers, with Millrace/Kafka, for the workloads that report
 * their own figures rather than {@link io.millrace.bench.report.Metric}s ({@link ScaleSession},
 * {@link DurableSession}). Stateless.
 */
final class SideBySide {
    private SideBySide() {
    }

    /** Labels in the order of the first map that is there; either map may be null (one broker run). */
    static String table(String title, Map<String, Double> millrace, Map<String, Double> kafka) {
        StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT, "%-60s %14s %14s %8s%n", title,
                "millrace", "kafka", "ratio"));
        Map<String, Double> labels = millrace != null ? millrace : kafka;
        for (String label : labels.keySet()) {
            Double m = millrace == null ? null : millrace.get(label);
            Double k = kafka == null ? null : kafka.get(label);
            out.append(String.format(java.util.Locale.ROOT, "%-60s %14s %14s %8s%n", label, format(m), format(k),
                    m != null && k != null && k != 0 ? String.format(java.util.Locale.ROOT, "%.2f", m / k) : "-"));
        }
        return out.toString();
    }

    private static String format(Double value) {
        return value == null ? "-" : String.format(java.util.Locale.ROOT, "%,.1f", value);
    }
}
