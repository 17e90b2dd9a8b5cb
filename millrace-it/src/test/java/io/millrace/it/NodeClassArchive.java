package io.millrace.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The classes a Millrace node loads, archived once per test JVM so that every node a test starts
 * maps them instead of loading, parsing and verifying them again: a node's start is mostly class
 * loading, and the default suite starts about 140 of them, often three at once on two cores.
 *
 * <p>The archive is made by a training node: one {@link BrokerProcess} started with the JVM's
 * option to write an archive at exit, given a topic, a record produced and fetched, and stopped
 * with SIGTERM. On JDK 25 and later it is an AOT cache (JEP 483/514: classes loaded and linked),
 * before that a dynamic CDS archive. Nodes then start with {@link #jvmOptions()}. If the archive
 * cannot be made (the training node fails, the JVM writes nothing), nodes start without it and
 * only lose the time; a JVM that finds the archive stale (a jar rebuilt since) ignores it.
 * {@code -Dmillrace.it.class.archive=false} switches it off.
 *
 * <p>Thread-safe: the first caller makes the archive, under this class's lock.
 */
final class NodeClassArchive {
    private static final Path DIR = Path.of("target", "node-class-archive").toAbsolutePath();
    /** Generous: writing the archive takes a JVM of its own some seconds on a loaded machine. */
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(120);
    private static List<String> options;

    private NodeClassArchive() {
    }

    /** The options that make a node's JVM use the archive; none when it is off or could not be made. */
    static synchronized List<String> jvmOptions() {
        if (options == null) {
            boolean wanted = Boolean.parseBoolean(System.getProperty("millrace.it.class.archive", "true"));
            // other modules' classes as directories (mvn test without package, an IDE): nothing to archive
            options = wanted && BrokerProcess.nodeClassPathIsJars() ? make() : List.of();
        }
        return options;
    }

    /** Whether {@code jvmOptions} are the training node's own (which must not use the archive it writes). */
    static boolean isTraining(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:AOTCacheOutput=")
                || o.startsWith("-XX:ArchiveClassesAtExit="));
    }

    private static List<String> make() {
        boolean aot = Runtime.version().feature() >= 25;
        Path archive = DIR.resolve("node-" + ProcessHandle.current().pid() + (aot ? ".aot" : ".jsa"));
        long started = System.nanoTime();
        try {
            deleteOldArchives();
            Files.createDirectories(DIR);
            List<String> write = aot
                    // the JDK lists every class it leaves out of the cache (JFR's, lambdas' forms) as a warning
                    ? List.of("-XX:AOTCacheOutput=" + archive, "-Xlog:aot=error")
                    : List.of("-XX:ArchiveClassesAtExit=" + archive);
            List<String> options = new java.util.ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
            options.addAll(write);
            train(archive, options);
        } catch (RuntimeException | AssertionError | IOException e) {
            System.err.println("NodeClassArchive: no archive, nodes start without one: " + e);
            return List.of();
        }
        if (!Files.isRegularFile(archive)) {
            System.err.println("NodeClassArchive: the training node wrote no " + archive + "; nodes start without one");
            return List.of();
        }
        System.out.printf("NodeClassArchive: %s made in %d ms%n", archive,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
    }

    /** One node, a topic, a record produced and fetched, a SIGTERM: its JVM writes the archive as it exits. */
    private static void train(Path archive, List<String> jvmOptions) throws IOException {
        Path data = Files.createTempDirectory("millrace-node-class-archive");
        Map<String, String> props = new TreeMap<>();
        props.put("node.id", String.valueOf(InProcessBroker.NODE_ID));
        props.put("log.dirs", data.resolve("data").toString());
        props.put("num.partitions", "1");
        BrokerProcess node = BrokerProcess.unstarted(data.resolve("data"),
                Path.of("target", "broker-logs", "node-class-archive.log"), props, BrokerProcess.freePort(), jvmOptions);
        try {
            node.spawn();
            node.awaitStarted();
            TopicPartition partition = new TopicPartition("training", 0);
            try (Admin admin = Clients.admin(node.bootstrap())) {
                // a node answers describeCluster a moment before its registration lets it host replicas
                Await.until("the training topic is created", TRAINING_TIMEOUT, () -> {
                    try {
                        Clients.createTopic(admin, partition.topic(), 1, Map.of());
                    } catch (Clients.ClientCallFailed e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                    return true;
                });
            }
            try (KafkaProducer<String, String> producer = Clients.producer(node.bootstrap())) {
                producer.send(new ProducerRecord<>(partition.topic(), "k", "v")).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> consumer = Clients.consumer(node.bootstrap())) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                Clients.pollUntil(consumer, partition, 1);
            }
            node.stopGracefully(TRAINING_TIMEOUT); // the archive is written before the JVM exits
        } catch (Exception e) {
            throw new IllegalStateException("the training node failed: " + node.logTail(20), e);
        } finally {
            node.close();
            deleteTree(data);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a temporary directory: left behind, no harm
        }
    }

    /** Archives of earlier test JVMs (their jars may have changed since). */
    private static void deleteOldArchives() throws IOException {
        if (!Files.isDirectory(DIR)) {
            return;
        }
        try (Stream<Path> old = Files.list(DIR)) {
            for (Path file : old.toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
