package io.millrace.server.replication;

/**
 * How followers fetch from their leaders (Kafka's {@code replica.*} broker settings).
 *
 * @param replicaFetchMaxBytes         {@code replica.fetch.max.bytes}: bytes asked per partition (a
 *                                     larger first batch still comes whole, KIP-74)
 * @param replicaFetchResponseMaxBytes {@code replica.fetch.response.max.bytes}: bytes asked per response
 * @param replicaFetchWaitMaxMs        {@code replica.fetch.wait.max.ms}: how long the leader may hold a fetch
 * @param replicaFetchMinBytes         {@code replica.fetch.min.bytes}: bytes the leader waits for
 * @param replicaFetchBackoffMs        {@code replica.fetch.backoff.ms}: pause after an error, per partition
 *                                     or (connection errors) per leader
 * @param socketTimeoutMs              {@code replica.socket.timeout.ms}: connect timeout, and the read
 *                                     timeout on top of the fetch wait
 * @param security                     plaintext, or TLS when the inter-broker listener is SSL
 */
public record ReplicaFetcherConfig(int replicaFetchMaxBytes, int replicaFetchResponseMaxBytes,
                                   int replicaFetchWaitMaxMs, int replicaFetchMinBytes, long replicaFetchBackoffMs,
                                   int socketTimeoutMs, ClientSecurity security) {

    /** Fetching over plaintext. */
    public ReplicaFetcherConfig(int replicaFetchMaxBytes, int replicaFetchResponseMaxBytes, int replicaFetchWaitMaxMs,
                                int replicaFetchMinBytes, long replicaFetchBackoffMs, int socketTimeoutMs) {
        this(replicaFetchMaxBytes, replicaFetchResponseMaxBytes, replicaFetchWaitMaxMs, replicaFetchMinBytes,
                replicaFetchBackoffMs, socketTimeoutMs, ClientSecurity.PLAINTEXT);
    }

    public ReplicaFetcherConfig {
        if (replicaFetchMaxBytes <= 0 || replicaFetchResponseMaxBytes <= 0) {
            throw new IllegalArgumentException("Fetch byte limits must be positive");
        }
        if (replicaFetchWaitMaxMs < 0 || replicaFetchMinBytes < 0 || replicaFetchBackoffMs < 0) {
            throw new IllegalArgumentException("Fetch wait, min bytes and backoff must not be negative");
        }
        if (socketTimeoutMs <= replicaFetchWaitMaxMs) {
            throw new IllegalArgumentException("replica.socket.timeout.ms (" + socketTimeoutMs
                    + ") must exceed replica.fetch.wait.max.ms (" + replicaFetchWaitMaxMs + ")");
        }
    }

    /** Kafka's defaults, except a 100 ms backoff (Kafka: 1000 ms). */
    public static ReplicaFetcherConfig defaults() {
        return new ReplicaFetcherConfig(1024 * 1024, 10 * 1024 * 1024, 500, 1, 100, 30_000);
    }
}
