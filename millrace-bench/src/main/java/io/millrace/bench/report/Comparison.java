package io.millrace.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The medians of both brokers side by side, one {@link Row} per {@link Metric}, with the ratio
 * Millrace/Kafka. Immutable.
 */
public record Comparison(List<Row> rows) {

    /**
     * One metric. A value is NaN when it was not measured (a broker or workload not run).
     *
     * @param ratio millrace / kafka; above 1 is better for throughput, below 1 for the rest
     */
    public record Row(Metric metric, double millrace, double kafka, double ratio) {

        public boolean measured() {
            return !Double.isNaN(ratio);
        }

        /** True when Millrace did at least as well as Kafka on this metric. */
        public boolean millraceBetter() {
            return metric.higherIsBetter() ? ratio >= 1 : ratio <= 1;
        }
    }

    public static Comparison of(BrokerResults millrace, BrokerResults kafka) {
        List<Row> rows = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            double m = orNaN(millrace == null ? OptionalDouble.empty() : millrace.median(metric));
            double k = orNaN(kafka == null ? OptionalDouble.empty() : kafka.median(metric));
            rows.add(new Row(metric, m, k, m / k));
        }
        return new Comparison(List.copyOf(rows));
    }

    private static double orNaN(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : Double.NaN;
    }

    /** A value as the report prints it: grouped digits from 1,000, else three significant digits. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    public static String formatRatio(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    /** The fixed-width table printed at the end of a run. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        String line = "%-38s %-10s %12s %12s %8s  %s%n";
        out.append(String.format(Locale.ROOT, line, "metric", "unit", "Millrace", "Kafka", "M/K", "better"));
        for (Row row : rows) {
            if (notRun(row)) {
                continue;
            }
            out.append(String.format(Locale.ROOT, line, row.metric().label(), row.metric().unit(),
                    format(row.millrace()), format(row.kafka()), formatRatio(row.ratio()),
                    row.metric().higherIsBetter() ? "higher" : "lower"));
        }
        return out.toString();
    }

    /** A workload this run left out (--workload): neither broker has a sample. */
    public static boolean notRun(Row row) {
        return Double.isNaN(row.millrace()) && Double.isNaN(row.kafka());
    }

    /** The same table in markdown. */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| metric | unit | Millrace | Kafka | Millrace/Kafka | better |\n");
        out.append("|---|---|---:|---:|---:|---|\n");
        for (Row row : rows) {
            if (notRun(row)) {
                continue;
            }
            String ratio = formatRatio(row.ratio());
            if (row.measured()) {
                ratio = row.millraceBetter() ? ratio : "**" + ratio + "**";
            }
            out.append("| ").append(row.metric().label()).append(" | ").append(row.metric().unit()).append(" | ")
                    .append(format(row.millrace())).append(" | ").append(format(row.kafka()))
                    .append(" | ").append(ratio).append(" | ")
                    .append(row.metric().higherIsBetter() ? "higher" : "lower").append(" |\n");
        }
        return out.toString();
    }
}
