package io.millrace.server.handlers;

import io.millrace.common.config.Endpoint;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.BrokerIdentity;
import io.millrace.server.api.RequestContext;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.RequestHeader;

/** Metadata images, a fake controller and request contexts for handler tests. Not thread-safe. */
final class ClusterFixture implements MetadataView, ControllerChannel {
    static final String LISTENER = "PLAINTEXT";
    static final String CLUSTER_ID = "test-cluster";

    final List<ControllerCommand<?>> commands = new CopyOnWriteArrayList<>();
    Function<ControllerCommand<?>, CompletableFuture<?>> responder =
            c -> CompletableFuture.failedFuture(new IllegalStateException("unexpected " + c));
    private final Map<Integer, BrokerImage> brokers = new HashMap<>();
    private final Map<Uuid, TopicImage> topics = new HashMap<>();
    private final Map<String, Uuid> topicIds = new HashMap<>();
    private long recordCount = 100;

    static BrokerIdentity identity(int nodeId, int port) {
        return new BrokerIdentity(nodeId, CLUSTER_ID, List.of(new Endpoint(LISTENER, "127.0.0.1", port)), "rack-self");
    }

    static RequestContext context(ApiKeys api, int version) {
        return new RequestContext(new RequestHeader(api, (short) version, "test", 1), InetAddress.getLoopbackAddress(),
                LISTENER, 1);
    }

    /** Serializes {@code message} at {@code version}: fails if a field the version lacks is set. */
    static void write(ApiMessage message, int version) {
        MessageUtil.toByteBufferAccessor(message, (short) version);
    }

    ClusterFixture broker(int id, boolean fenced, BrokerEndpoint... endpoints) {
        brokers.put(id, new BrokerImage(id, 10 + id, Uuid.randomUuid(), List.of(endpoints), "rack-" + id, fenced,
                false));
        return this;
    }

    static BrokerEndpoint endpoint(String listener, String host, int port) {
        return new BrokerEndpoint(listener, host, port, "PLAINTEXT");
    }

    ClusterFixture topic(String name, PartitionRecord... partitions) {
        Uuid id = topicIds.computeIfAbsent(name, n -> Uuid.randomUuid());
        TreeMap<Integer, PartitionRecord> byIndex = new TreeMap<>();
        for (PartitionRecord p : partitions) {
            byIndex.put(p.partition(), p);
        }
        topics.put(id, new TopicImage(name, id, byIndex, Map.of()));
        return this;
    }

    static PartitionRecord partition(int index, int leader, List<Integer> replicas, List<Integer> isr) {
        return new PartitionRecord(Uuid.ZERO_UUID, index, replicas, isr, leader, 5, 1);
    }

    static PartitionRecord reassigning(int index, List<Integer> replicas, List<Integer> adding, List<Integer> removing) {
        return new PartitionRecord(Uuid.ZERO_UUID, index, replicas, replicas, replicas.get(0), 5, 1, adding, removing);
    }

    ClusterFixture recordCount(long count) {
        recordCount = count;
        return this;
    }

    @Override
    public MetadataImage image() {
        return new MetadataImage(topics, topicIds, Map.of(), Map.of(), brokers, 0L, recordCount);
    }

    @Override
    public CompletableFuture<Void> register(MetadataListener listener) {
        listener.onImage(MetadataImage.EMPTY, image());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command) {
        commands.add(command);
        return (CompletableFuture<R>) responder.apply(command);
    }
}
