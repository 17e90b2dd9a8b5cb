package io.millrace.it.chaos;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A three-node cluster the chaos workload runs against: Millrace ({@link MillraceTarget}) or
 * Apache Kafka ({@link KafkaTarget}), each node its own OS process, reached by clients and by the
 * other nodes through {@link NetworkPartitions}' proxies. Driven by one test thread.
 */
interface Target extends AutoCloseable {
    /** "millrace" or "kafka". */
    String name();

    /** Every node's proxied client address. */
    String bootstrapServers();

    List<Integer> nodeIds();

    boolean isRunning(int nodeId);

    /** The node's OS process id, or -1 when it is not running. */
    long pid(int nodeId);

    /** SIGKILL and wait for the exit. */
    void kill9(int nodeId);

    /** SIGTERM (a controlled shutdown) and wait for the exit. */
    void terminate(int nodeId);

    /** Starts the given stopped nodes at once and returns when each serves clients. */
    void start(Collection<Integer> nodeIds);

    NetworkPartitions network();

    /** The node's log directory when it is a mount of its own that can be filled up. */
    Optional<LogDisk> logDisk(int nodeId);

    /** The node's output file, for failure messages. */
    Path logFile(int nodeId);

    @Override
    void close();
}
