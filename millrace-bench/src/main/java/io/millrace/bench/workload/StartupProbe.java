package io.millrace.bench.workload;

import io.millrace.bench.broker.BrokerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Measures the time from a broker's {@code ProcessBuilder.start()} to the first acknowledged
 * produce: poll a TCP connect to the listener every few milliseconds, then create a topic, then
 * {@code send().get()} one record with acks=all. Topic creation counts: a fresh broker must do
 * it before anything can be produced.
 */
public final class StartupProbe {
    private static final String TOPIC = "startup-probe";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final long CONNECT_POLL_MILLIS = 5;
    private static final int CONNECT_TIMEOUT_MILLIS = 200;

    private StartupProbe() {
    }

    /** Milliseconds from process start to the first acknowledged record. */
    public static double millisToFirstAck(BrokerProcess broker, byte[] value) throws Exception {
        return millisToFirstAck(broker, value, 1);
    }

    /** As above, the probe topic with {@code replicas} replicas (a cluster's min.insync.replicas may need them). */
    public static double millisToFirstAck(BrokerProcess broker, byte[] value, int replicas) throws Exception {
        long deadline = broker.startNanos() + TIMEOUT.toNanos();
        awaitListening(broker, deadline);
        try (Topics topics = new Topics(broker.bootstrap());
             KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), "all")) {
            createTopic(topics, deadline, replicas);
            producer.send(new ProducerRecord<>(TOPIC, value)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return (System.nanoTime() - broker.startNanos()) / 1e6;
        }
    }

    /** A broker may accept connections a moment before it can create topics: retry until then. */
    private static void createTopic(Topics topics, long deadline, int replicas) throws Exception {
        while (true) {
            try {
                topics.create(TOPIC, 1, replicas);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(CONNECT_POLL_MILLIS);
            }
        }
    }

    /** Waits until {@code broker} accepts TCP connections; throws if it exits or {@code deadline} passes. */
    public static void awaitListening(BrokerProcess broker, long deadline) throws Exception {
        String[] hostPort = broker.bootstrap().split(":");
        InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        while (true) {
            broker.checkAlive();
            try (Socket socket = new Socket()) {
                socket.connect(address, CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(broker.name() + " is not listening on " + address + " after "
                            + TIMEOUT.toSeconds() + " s; see " + broker.logFile(), e);
                }
                Thread.sleep(CONNECT_POLL_MILLIS);
            }
        }
    }
}
