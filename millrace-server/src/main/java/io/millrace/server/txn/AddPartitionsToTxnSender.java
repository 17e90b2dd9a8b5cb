package io.millrace.server.txn;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.server.replication.BrokerConnections;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.replication.NodeConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a partition leader's KIP-890 checks to a transaction coordinator on another broker with
 * AddPartitionsToTxn v4+ (the brokers' batched form), over the inter-broker listener. Checks for
 * one coordinator that queue up while a request is in flight go together in the next request, one
 * transaction entry each (a second check of the same transactional id waits for the request after,
 * as the request holds one entry per id). Answers, per check and partition, the coordinator's
 * error when not NONE (an empty map: verified); a broker that cannot be reached or drops the
 * connection answers NETWORK_EXCEPTION for every partition, a coordinator whose broker does not
 * serve v4 is not asked (an empty map, as Kafka skips verification then).
 *
 * <p>Threads: one, {@code txn-verification-sender}, sends every request (blocking, one at a time)
 * and owns the connections; {@link #send} may be called from any thread and never blocks (the
 * queues are guarded by a lock). Lifecycle: built at start-up, {@link #close} at shutdown (checks
 * not yet sent then answer NETWORK_EXCEPTION).
 */
public final class AddPartitionsToTxnSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AddPartitionsToTxnSender.class);
    private static final short BATCHED_VERSION = 4;
    private static final int TIMEOUT_MS = 30_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** One leader's question about one transaction. */
    record Check(String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions,
                 boolean verifyOnly, CompletableFuture<Map<TopicPartition, Errors>> answer) {
    }

    private final BrokerConnections connections;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "txn-verification-sender");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    /** Checks not yet sent, by coordinator; guarded by {@link #lock}. */
    private final Map<Integer, List<Check>> queued = new HashMap<>();
    /** Coordinators whose queue a task on the sender thread will send; guarded by {@link #lock}. */
    private final Set<Integer> scheduled = new HashSet<>();

    public AddPartitionsToTxnSender(Supplier<MetadataImage> metadata, String interBrokerListener) {
        this(metadata, interBrokerListener, ClientSecurity.PLAINTEXT);
    }

    /** @param security how to secure connections to the inter-broker listener (TLS when it is SSL) */
    public AddPartitionsToTxnSender(Supplier<MetadataImage> metadata, String interBrokerListener,
                                    ClientSecurity security) {
        this.connections = new BrokerConnections(metadata, interBrokerListener, "txn-verification-sender",
                CONNECT_TIMEOUT_MS, TIMEOUT_MS, security);
    }

    /** Asks broker {@code coordinatorId} to verify (or add, when not {@code verifyOnly}) the partitions. */
    public CompletableFuture<Map<TopicPartition, Errors>> send(int coordinatorId, String transactionalId,
                                                               long producerId, short producerEpoch,
                                                               Set<TopicPartition> partitions, boolean verifyOnly) {
        Check check = new Check(transactionalId, producerId, producerEpoch, Set.copyOf(partitions), verifyOnly,
                new CompletableFuture<>());
        synchronized (lock) {
            queued.computeIfAbsent(coordinatorId, id -> new ArrayList<>()).add(check);
            if (scheduled.add(coordinatorId)) {
                schedule(coordinatorId);
            }
        }
        return check.answer();
    }

    /** Under the lock: a task to send the queue of {@code coordinatorId}; when shut down, answers it. */
    private void schedule(int coordinatorId) {
        try {
            thread.execute(() -> drain(coordinatorId));
        } catch (RejectedExecutionException e) {
            scheduled.remove(coordinatorId);
            List<Check> dropped = queued.remove(coordinatorId);
            if (dropped != null) {
                dropped.forEach(c -> c.answer().complete(all(c.partitions(), Errors.NETWORK_EXCEPTION)));
            }
        }
    }

    /** On the sender thread: sends what is queued for {@code coordinatorId} as one request. */
    private void drain(int coordinatorId) {
        List<Check> batch = new ArrayList<>();
        synchronized (lock) {
            List<Check> waiting = queued.getOrDefault(coordinatorId, List.of());
            Set<String> ids = new HashSet<>();
            for (Iterator<Check> it = waiting.iterator(); it.hasNext(); ) {
                Check check = it.next();
                if (ids.add(check.transactionalId())) {
                    batch.add(check);
                    it.remove();
                }
            }
            if (waiting.isEmpty()) {
                queued.remove(coordinatorId);
                scheduled.remove(coordinatorId);
            } else {
                schedule(coordinatorId); // the same transactional ids again, in the next request
            }
        }
        if (!batch.isEmpty()) {
            Map<String, Map<TopicPartition, Errors>> answers = exchange(coordinatorId, batch);
            batch.forEach(c -> c.answer().complete(answers.get(c.transactionalId())));
        }
    }

    /** One request for {@code checks} (distinct transactional ids). */
    static AddPartitionsToTxnRequestData request(List<Check> checks) {
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        for (Check check : checks) {
            AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
            for (TopicPartition tp : check.partitions()) {
                AddPartitionsToTxnTopic topic = topics.find(tp.topic());
                if (topic == null) {
                    topic = new AddPartitionsToTxnTopic().setName(tp.topic());
                    topics.add(topic);
                }
                topic.partitions().add(tp.partition());
            }
            transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(check.transactionalId())
                    .setProducerId(check.producerId()).setProducerEpoch(check.producerEpoch())
                    .setVerifyOnly(check.verifyOnly()).setTopics(topics));
        }
        return new AddPartitionsToTxnRequestData().setTransactions(transactions);
    }

    /**
     * Each check's errors other than NONE in {@code response}, by transactional id: every
     * partition's for a request-level error, UNKNOWN_SERVER_ERROR for a transaction left unanswered.
     */
    static Map<String, Map<TopicPartition, Errors>> errorsOf(AddPartitionsToTxnResponseData response,
                                                            List<Check> checks) {
        Map<String, Map<TopicPartition, Errors>> answers = new HashMap<>();
        for (Check check : checks) {
            Map<TopicPartition, Errors> errors;
            AddPartitionsToTxnResult result = response.resultsByTransaction().find(check.transactionalId());
            if (response.errorCode() != Errors.NONE.code()) {
                errors = all(check.partitions(),
                        VerificationErrors.fromCoordinatorRequest(Errors.forCode(response.errorCode())));
            } else if (result == null) {
                errors = all(check.partitions(), Errors.UNKNOWN_SERVER_ERROR);
            } else {
                Map<TopicPartition, Errors> found = new HashMap<>();
                result.topicResults().forEach(topic -> topic.resultsByPartition().forEach(p -> {
                    if (p.partitionErrorCode() != Errors.NONE.code()) {
                        found.put(new TopicPartition(topic.name(), p.partitionIndex()),
                                Errors.forCode(p.partitionErrorCode()));
                    }
                }));
                errors = found;
            }
            answers.put(check.transactionalId(), errors);
        }
        return answers;
    }

    private Map<String, Map<TopicPartition, Errors>> exchange(int coordinatorId, List<Check> checks) {
        try {
            NodeConnection connection = connections.get(coordinatorId);
            if (connection == null) {
                return allChecks(checks, Errors.COORDINATOR_NOT_AVAILABLE);
            }
            short version;
            try {
                version = connection.versionFor(ApiKeys.ADD_PARTITIONS_TO_TXN, BATCHED_VERSION);
            } catch (UnsupportedVersionException e) {
                log.warn("Broker {} does not serve AddPartitionsToTxn v4+: transactional writes go unverified",
                        coordinatorId);
                return allChecks(checks, Errors.NONE);
            }
            AddPartitionsToTxnResponseData response = connection.send(ApiKeys.ADD_PARTITIONS_TO_TXN, version,
                    request(checks), TIMEOUT_MS);
            return errorsOf(response, checks);
        } catch (IOException | RuntimeException e) {
            log.debug("AddPartitionsToTxn to broker {} failed: {}", coordinatorId, e.toString());
            connections.drop(coordinatorId, e);
            return allChecks(checks, Errors.NETWORK_EXCEPTION);
        }
    }

    private static Map<String, Map<TopicPartition, Errors>> allChecks(List<Check> checks, Errors error) {
        Map<String, Map<TopicPartition, Errors>> answers = new HashMap<>();
        checks.forEach(c -> answers.put(c.transactionalId(), all(c.partitions(), error)));
        return answers;
    }

    private static Map<TopicPartition, Errors> all(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        if (error != Errors.NONE) {
            partitions.forEach(tp -> errors.put(tp, error));
        }
        return errors;
    }

    @Override
    public void close() {
        // Requests already scheduled still go first; whatever is scheduled later answers NETWORK_EXCEPTION.
        thread.execute(connections::close);
        thread.shutdown();
    }
}
