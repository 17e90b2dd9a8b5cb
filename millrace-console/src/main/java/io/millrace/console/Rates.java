package io.millrace.console;

/**
 * Per-second rates from a series of cumulative counters: between two neighbouring samples,
 * (value delta) / (time delta in s), stamped with the later sample's time. Stateless.
 */
final class Rates {

    private Rates() {
    }

    /** A chart series: times in ms and values, of equal length. */
    record Points(long[] times, double[] values) {
    }

    /** The rates between the neighbouring samples of {@code counter} that are no older than {@code sinceMs}. */
    static Points perSecond(SeriesRing counter, long sinceMs) {
        int first = 0;
        while (first < counter.size() && counter.time(first) < sinceMs) {
            first++;
        }
        int n = Math.max(0, counter.size() - first - 1);
        long[] times = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            int a = first + i;
            long dt = counter.time(a + 1) - counter.time(a);
            long dv = counter.value(a + 1) - counter.value(a);
            times[i] = counter.time(a + 1);
            values[i] = dt <= 0 ? 0 : Math.max(0, dv) * 1000.0 / dt;
        }
        return new Points(times, values);
    }

    /** The samples themselves (a gauge such as lag) no older than {@code sinceMs}. */
    static Points gauge(SeriesRing gauge, long sinceMs) {
        int first = 0;
        while (first < gauge.size() && gauge.time(first) < sinceMs) {
            first++;
        }
        int n = gauge.size() - first;
        long[] times = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            times[i] = gauge.time(first + i);
            values[i] = gauge.value(first + i);
        }
        return new Points(times, values);
    }
}
