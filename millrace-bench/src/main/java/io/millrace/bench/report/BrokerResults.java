package io.millrace.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Every sample one broker produced, per metric; the report uses their medians. Not thread-safe. */
public final class BrokerResults {
    private final String broker;
    private final Map<Metric, List<Double>> samples = new EnumMap<>(Metric.class);

    public BrokerResults(String broker) {
        this.broker = broker;
    }

    public String broker() {
        return broker;
    }

    public void add(Metric metric, double value) {
        samples.computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
    }

    public List<Double> samples(Metric metric) {
        return List.copyOf(samples.getOrDefault(metric, List.of()));
    }

    /** The median sample (the mean of the middle two for an even count), empty when none. */
    public OptionalDouble median(Metric metric) {
        double[] values = samples.getOrDefault(metric, List.of()).stream().mapToDouble(Double::doubleValue).toArray();
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        Arrays.sort(values);
        int mid = values.length / 2;
        return OptionalDouble.of(values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2);
    }
}
