package io.millrace.server.txn;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.replication.NodeConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a partition leader's KIP-890 checks to a transaction coordinator on another broker: one
 * AddPartitionsToTxn v4+ (the brokers' batched form) per check, over the inter-broker listener.
 * Answers, per partition, the coordinator's error when not NONE (an empty map: verified); a
 * broker that cannot be reached or drops the connection answers NETWORK_EXCEPTION for every
 * partition, a coordinator whose broker does not serve v4 is not asked (an empty map, as Kafka
 * skips verification then).
 *
 * <p>Threads: one, {@code txn-verification-sender}, sends every request (blocking, one at a time)
 * and owns the connection cache; {@link #send} may be called from any thread and never blocks.
 * Lifecycle: built at start-up, {@link #close} at shutdown (pending checks then answer
 * NETWORK_EXCEPTION).
 */
public final class AddPartitionsToTxnSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AddPartitionsToTxnSender.class);
    private static final short BATCHED_VERSION = 4;
    private static final int TIMEOUT_MS = 30_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final Supplier<MetadataImage> metadata;
    private final String interBrokerListener;
    private final ClientSecurity security;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "txn-verification-sender");
        t.setDaemon(true);
        return t;
    });
    private final Map<Integer, NodeConnection> connections = new HashMap<>();

    public AddPartitionsToTxnSender(Supplier<MetadataImage> metadata, String interBrokerListener) {
        this(metadata, interBrokerListener, ClientSecurity.PLAINTEXT);
    }

    /** @param security how to secure connections to the inter-broker listener (TLS when it is SSL) */
    public AddPartitionsToTxnSender(Supplier<MetadataImage> metadata, String interBrokerListener,
                                    ClientSecurity security) {
        this.security = security;
        this.metadata = metadata;
        this.interBrokerListener = interBrokerListener;
    }

    /** Asks broker {@code coordinatorId} to verify (or add, when not {@code verifyOnly}) the partitions. */
    public CompletableFuture<Map<TopicPartition, Errors>> send(int coordinatorId, String transactionalId,
                                                               long producerId, short producerEpoch,
                                                               Set<TopicPartition> partitions, boolean verifyOnly) {
        AddPartitionsToTxnRequestData request = request(transactionalId, producerId, producerEpoch, partitions,
                verifyOnly);
        try {
            return CompletableFuture.supplyAsync(() -> exchange(coordinatorId, request, partitions), thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(all(partitions, Errors.NETWORK_EXCEPTION));
        }
    }

    static AddPartitionsToTxnRequestData request(String transactionalId, long producerId, short producerEpoch,
                                                 Set<TopicPartition> partitions, boolean verifyOnly) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        for (TopicPartition tp : partitions) {
            AddPartitionsToTxnTopic topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new AddPartitionsToTxnTopic().setName(tp.topic());
                topics.add(topic);
            }
            topic.partitions().add(tp.partition());
        }
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(producerEpoch).setVerifyOnly(verifyOnly).setTopics(topics));
        return new AddPartitionsToTxnRequestData().setTransactions(transactions);
    }

    /** The partitions' errors other than NONE in {@code response}; every partition's for a request-level error. */
    static Map<TopicPartition, Errors> errorsOf(AddPartitionsToTxnResponseData response, Set<TopicPartition> partitions) {
        if (response.errorCode() != Errors.NONE.code()) {
            return all(partitions, VerificationErrors.fromCoordinatorRequest(Errors.forCode(response.errorCode())));
        }
        Map<TopicPartition, Errors> errors = new HashMap<>();
        response.resultsByTransaction().forEach(txn -> txn.topicResults().forEach(topic ->
                topic.resultsByPartition().forEach(p -> {
                    if (p.partitionErrorCode() != Errors.NONE.code()) {
                        errors.put(new TopicPartition(topic.name(), p.partitionIndex()),
                                Errors.forCode(p.partitionErrorCode()));
                    }
                })));
        return errors;
    }

    private Map<TopicPartition, Errors> exchange(int coordinatorId, AddPartitionsToTxnRequestData request,
                                                 Set<TopicPartition> partitions) {
        try {
            NodeConnection connection = connection(coordinatorId);
            if (connection == null) {
                return all(partitions, Errors.COORDINATOR_NOT_AVAILABLE);
            }
            short version;
            try {
                version = connection.versionFor(ApiKeys.ADD_PARTITIONS_TO_TXN, BATCHED_VERSION);
            } catch (UnsupportedVersionException e) {
                log.warn("Broker {} does not serve AddPartitionsToTxn v4+: transactional writes go unverified",
                        coordinatorId);
                return Map.of();
            }
            AddPartitionsToTxnResponseData response = connection.send(ApiKeys.ADD_PARTITIONS_TO_TXN, version, request,
                    TIMEOUT_MS);
            return errorsOf(response, partitions);
        } catch (IOException | RuntimeException e) {
            log.debug("AddPartitionsToTxn to broker {} failed: {}", coordinatorId, e.toString());
            NodeConnection broken = connections.remove(coordinatorId);
            if (broken != null) {
                broken.close();
            }
            return all(partitions, Errors.NETWORK_EXCEPTION);
        }
    }

    private NodeConnection connection(int brokerId) throws IOException {
        NodeConnection existing = connections.get(brokerId);
        if (existing != null) {
            return existing;
        }
        Optional<InetSocketAddress> address = metadata.get().broker(brokerId)
                .flatMap(b -> b.endpoint(interBrokerListener)).map(e -> new InetSocketAddress(e.host(), e.port()));
        if (address.isEmpty()) {
            return null;
        }
        NodeConnection opened = NodeConnection.open(address.get(), "txn-verification-sender", CONNECT_TIMEOUT_MS,
                TIMEOUT_MS, security);
        connections.put(brokerId, opened);
        return opened;
    }

    private static Map<TopicPartition, Errors> all(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        return errors;
    }

    @Override
    public void close() {
        thread.execute(() -> {
            connections.values().forEach(NodeConnection::close);
            connections.clear();
        });
        thread.shutdown();
    }
}
