package io.millrace.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A consume-transform-produce loop as a real application writes it, on its own thread
 * ({@code txn-copier}): a read_committed group consumer of {@code input}, a transactional
 * producer copying each polled batch to the same partition of {@code output} and committing the
 * consumer's offsets in the same transaction ({@code sendOffsetsToTransaction} with the group
 * metadata). Any failure of a transaction aborts it (or, when the producer is fenced or in a
 * state it cannot abort from, replaces the producer, whose {@code initTransactions} aborts the
 * open transaction) and rewinds the consumer to the group's committed offsets, so each input
 * record reaches the output exactly once. Each transaction holds at most {@code maxPollRecords}
 * records and pauses {@code processingPause} before committing, so a fault lands mid-transaction;
 * every {@link #ABORT_EVERY}th transaction is aborted on purpose (and its records copied again),
 * so aborted output is interleaved with committed output around each fault.
 *
 * <p>Counters are thread-safe; {@link #close()} stops the loop and closes both clients.
 */
final class TransactionalCopier implements AutoCloseable {
    static final int ABORT_EVERY = 7;

    private final String bootstrap;
    private final String input;
    private final String output;
    private final String transactionalId;
    private final Duration processingPause;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private KafkaProducer<String, String> producer;

    /** Records copied in transactions whose commit returned. */
    final AtomicLong committedRecords = new AtomicLong();
    /** Transactions aborted on purpose. */
    final AtomicInteger deliberateAborts = new AtomicInteger();
    private int transactions;
    /** Transactions that failed and were aborted (or whose producer was replaced). */
    final AtomicInteger recoveries = new AtomicInteger();
    /** Producers replaced (fenced, or in a state they could not abort from). */
    final AtomicInteger replacedProducers = new AtomicInteger();
    /** The last failure seen, for the test's report. */
    final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    /** A failure the loop could not recover from. */
    final AtomicReference<Throwable> fatal = new AtomicReference<>();

    TransactionalCopier(String bootstrap, String input, String output, String group, String transactionalId,
                        int maxPollRecords, Duration processingPause) {
        this.bootstrap = bootstrap;
        this.input = input;
        this.output = output;
        this.transactionalId = transactionalId;
        this.processingPause = processingPause;
        this.consumer = Clients.consumer(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000));
        this.thread = new Thread(this::run, "txn-copier");
    }

    TransactionalCopier start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(input));
            producer = newProducer();
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    copy(records);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (Throwable t) {
            if (running) {
                fatal.set(t);
            }
        } finally {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            consumer.close(Duration.ZERO);
        }
    }

    private void copy(ConsumerRecords<String, String> records) throws InterruptedException {
        try {
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<String, String>> of = records.records(tp);
                for (ConsumerRecord<String, String> r : of) {
                    producer.send(new ProducerRecord<>(output, tp.partition(), r.key(), r.value()));
                }
                offsets.put(tp, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
            }
            TimeUnit.MILLISECONDS.sleep(processingPause.toMillis()); // the "transform" work
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            if (++transactions % ABORT_EVERY == 0) {
                producer.abortTransaction();
                deliberateAborts.incrementAndGet();
                rewind();
                return;
            }
            producer.commitTransaction();
            committedRecords.addAndGet(records.count());
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            lastFailure.set(e);
            recoveries.incrementAndGet();
            recover(e);
        }
    }

    /** Aborts (or replaces the producer) and rewinds the consumer to the committed offsets. */
    private void recover(KafkaException failure) {
        boolean fenced = failure instanceof ProducerFencedException || failure instanceof InvalidProducerEpochException;
        boolean aborted = false;
        if (!fenced) {
            try {
                producer.abortTransaction();
                aborted = true;
            } catch (KafkaException e) {
                lastFailure.set(e);
            }
        }
        if (!aborted) {
            replacedProducers.incrementAndGet();
            producer.close(Duration.ZERO);
            producer = null;
            while (running && producer == null) {
                try {
                    producer = newProducer(); // initTransactions aborts what the old one left open
                } catch (KafkaException e) {
                    lastFailure.set(e);
                }
            }
        }
        rewind();
    }

    private void rewind() {
        while (running) {
            try {
                Set<TopicPartition> assigned = consumer.assignment();
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(10));
                for (TopicPartition tp : assigned) {
                    OffsetAndMetadata offset = committed.get(tp);
                    consumer.seek(tp, offset == null ? 0 : offset.offset());
                }
                return;
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                lastFailure.set(e); // the group coordinator is moving: ask again
            }
        }
    }

    private KafkaProducer<String, String> newProducer() {
        KafkaProducer<String, String> created = Clients.producer(bootstrap, Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000));
        try {
            created.initTransactions();
            return created;
        } catch (KafkaException e) {
            created.close(Duration.ZERO);
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
