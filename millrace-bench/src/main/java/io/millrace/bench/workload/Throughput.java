package io.millrace.bench.workload;

/** What one produce or consume run measured: records and value bytes moved in some seconds. */
public record Throughput(long records, long bytes, double seconds) {

    public double recordsPerSecond() {
        return records / seconds;
    }

    /** Megabytes (10^6 bytes) of record values per second. */
    public double megabytesPerSecond() {
        return bytes / 1e6 / seconds;
    }
}
