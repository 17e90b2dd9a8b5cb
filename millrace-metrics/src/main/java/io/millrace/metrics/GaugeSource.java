package io.millrace.metrics;

/**
 * Computes a gauge's samples from the broker's state when {@code /metrics} is scraped, never on
 * the request path. Called on the scraping thread: it reads state that other threads own, so it
 * reads only what is safe to read that way (volatile fields, concurrent maps, futures).
 */
@FunctionalInterface
public interface GaugeSource {

    /** Adds this gauge's samples to {@code samples}. */
    void collect(Samples samples);

    /** Receives a gauge's samples. */
    @FunctionalInterface
    interface Samples {
        /** One sample: its value and its label values, in the order of the gauge's label names. */
        void sample(double value, String... labelValues);
    }
}
