package io.millrace.server;

import io.millrace.common.Time;
import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.Endpoint;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.group.NoConsumerGroups;
import io.millrace.coordinator.consumer.ConsumerGroupConfig;
import io.millrace.coordinator.consumer.ConsumerGroups;
import io.millrace.metadata.controller.MetadataController;
import io.millrace.metadata.controller.PlacementSettings;
import io.millrace.metadata.journal.LocalMetadataJournal;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.config.BrokerTopicConfigs;
import io.millrace.server.config.ConfigAlterer;
import io.millrace.server.config.ConfigDescriber;
import io.millrace.server.coordinator.MetadataTopicsView;
import io.millrace.server.coordinator.OffsetsTopic;
import io.millrace.server.coordinator.PartitionCoordinatorLog;
import io.millrace.server.handlers.AlterConfigsHandler;
import io.millrace.server.handlers.ConsumerGroupDescribeHandler;
import io.millrace.server.handlers.ConsumerGroupHeartbeatHandler;
import io.millrace.server.handlers.ApiVersionsHandler;
import io.millrace.server.handlers.CreatePartitionsHandler;
import io.millrace.server.handlers.CreateTopicsHandler;
import io.millrace.server.handlers.DeleteGroupsHandler;
import io.millrace.server.handlers.DeleteRecordsHandler;
import io.millrace.server.handlers.DeleteTopicsHandler;
import io.millrace.server.handlers.DescribeClusterHandler;
import io.millrace.server.handlers.DescribeConfigsHandler;
import io.millrace.server.handlers.DescribeGroupsHandler;
import io.millrace.server.handlers.FetchHandler;
import io.millrace.server.handlers.FindCoordinatorHandler;
import io.millrace.server.handlers.HeartbeatHandler;
import io.millrace.server.handlers.IncrementalAlterConfigsHandler;
import io.millrace.server.handlers.InitProducerIdHandler;
import io.millrace.server.handlers.JoinGroupHandler;
import io.millrace.server.handlers.LeaveGroupHandler;
import io.millrace.server.handlers.ListGroupsHandler;
import io.millrace.server.handlers.ListOffsetsHandler;
import io.millrace.server.handlers.MetadataHandler;
import io.millrace.server.handlers.OffsetCommitHandler;
import io.millrace.server.handlers.OffsetDeleteHandler;
import io.millrace.server.handlers.OffsetFetchHandler;
import io.millrace.server.handlers.ProduceHandler;
import io.millrace.server.handlers.SyncGroupHandler;
import io.millrace.server.network.HandlerRegistry;
import io.millrace.server.network.SocketServer;
import io.millrace.server.partition.LocalPartitions;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.producer.ProducerIdAllocator;
import io.millrace.storage.CleanerConfig;
import io.millrace.storage.LogManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Millrace node: wires storage, metadata, partitions, handlers and the network server.
 * Nothing imports this class but the launcher and tests.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #shutdown()} (idempotent). Start-up order is
 * metadata → logs → partitions → group coordinator → network; shutdown is the reverse, so no
 * request reaches a closed log.
 */
public final class Broker {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    /** The metadata journal's directory under metadata.log.dir, named as Kafka names its metadata log. */
    public static final String METADATA_DIR = "__cluster_metadata-0";

    private final BrokerConfig config;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private MetadataController controller;
    private LogManager logManager;
    private GroupCoordinatorService groupCoordinator;
    private SocketServer socketServer;
    private volatile boolean started;
    private boolean shutDown;

    public Broker(BrokerConfig config) {
        this.config = config;
    }

    public synchronized void start() {
        long begin = System.nanoTime();
        int nodeId = config.nodeId();
        List<Path> logDirs = config.logDirs();
        String clusterId = MetaProperties.ensure(logDirs, nodeId, config.clusterId().orElse(null));
        BrokerTopicConfigs topicConfigs = new BrokerTopicConfigs(config, () -> controller.image());
        controller = new MetadataController(
                new LocalMetadataJournal(config.metadataLogDir().resolve(METADATA_DIR)),
                new PlacementSettings(() -> List.of(nodeId), config.numPartitions(), config.defaultReplicationFactor()),
                topicConfigs::check);
        logManager = new LogManager(logDirs, Time.SYSTEM, config.logRetentionCheckIntervalMs(),
                CleanerConfig.from(config));
        LocalPartitions partitions = new LocalPartitions(nodeId, logManager, topicConfigs);
        partitions.loadExisting(controller.image());
        await(controller.register(partitions));
        logManager.startBackgroundTasks();
        PartitionAccess access = new PartitionAccess(nodeId, partitions);
        groupCoordinator = new GroupCoordinatorService(GroupCoordinatorConfig.from(config),
                new PartitionCoordinatorLog(OffsetsTopic.NAME, access, Time.SYSTEM, config.getInt("offsets.load.buffer.size")),
                new MetadataTopicsView(controller::image), Time.SYSTEM, consumerGroupsEnabled()
                        ? ConsumerGroups.factory(ConsumerGroupConfig.from(config)
                        .withOverrides(groupId -> controller.image().groupConfig(groupId))) : NoConsumerGroups.FACTORY);
        OffsetsTopic offsetsTopic = new OffsetsTopic(nodeId, controller, groupCoordinator, config, () -> 1);
        await(controller.register(offsetsTopic)); // after `partitions`, so a partition's log exists before it loads

        BrokerIdentity identity = new BrokerIdentity(nodeId, clusterId, config.advertisedListeners(),
                config.rack().orElse(null));
        HandlerRegistry registry = HandlerRegistry.of(handlers(identity, access, topicConfigs, offsetsTopic),
                r -> new ApiVersionsHandler(r, identity.clusterId(), identity.nodeId()));
        socketServer = new SocketServer(config.listeners(), registry,
                config.socketRequestMaxBytes(),
                ((Number) config.get("socket.send.buffer.bytes")).intValue(),
                ((Number) config.get("socket.receive.buffer.bytes")).intValue());
        socketServer.start();
        identity.resolvePorts(socketServer::boundPort);
        started = true;
        log.info("Millrace node {} started in {} ms: listening on {}, data in {}", nodeId,
                (System.nanoTime() - begin) / 1_000_000, identity.advertised(), logDirs);
    }

    private List<ApiHandler<?>> handlers(BrokerIdentity identity, PartitionAccess access,
                                         BrokerTopicConfigs topicConfigs, OffsetsTopic offsetsTopic) {
        TopicNameResolver topics = new TopicNameResolver(controller::image);
        ConfigDescriber describer = new ConfigDescriber(topicConfigs, controller::image, identity.nodeId());
        List<ApiHandler<?>> handlers = new ArrayList<>();
        handlers.add(new ProduceHandler(topics, access));
        handlers.add(new FetchHandler(topics, access));
        handlers.add(new ListOffsetsHandler(access));
        handlers.add(new MetadataHandler(identity, controller, config::autoCreateTopicsEnable));
        handlers.add(new CreateTopicsHandler(controller, describer));
        handlers.add(new DeleteTopicsHandler(controller, config::deleteTopicEnable));
        handlers.add(new CreatePartitionsHandler(controller));
        handlers.add(new DeleteRecordsHandler(access));
        handlers.add(new DescribeConfigsHandler(describer, identity.nodeId()));
        ConfigAlterer alterer = new ConfigAlterer(controller, describer, identity.nodeId());
        handlers.add(new AlterConfigsHandler(alterer));
        handlers.add(new IncrementalAlterConfigsHandler(alterer));
        handlers.add(new DescribeClusterHandler(identity));
        handlers.add(new InitProducerIdHandler(new ProducerIdAllocator(identity.nodeId(), controller)));
        handlers.add(new FindCoordinatorHandler(identity, offsetsTopic));
        handlers.add(new JoinGroupHandler(groupCoordinator));
        handlers.add(new SyncGroupHandler(groupCoordinator));
        handlers.add(new HeartbeatHandler(groupCoordinator));
        handlers.add(new LeaveGroupHandler(groupCoordinator));
        handlers.add(new OffsetCommitHandler(groupCoordinator));
        handlers.add(new OffsetFetchHandler(groupCoordinator));
        handlers.add(new OffsetDeleteHandler(groupCoordinator));
        handlers.add(new ListGroupsHandler(groupCoordinator));
        handlers.add(new DescribeGroupsHandler(groupCoordinator));
        handlers.add(new DeleteGroupsHandler(groupCoordinator));
        if (consumerGroupsEnabled()) {
            handlers.add(new ConsumerGroupHeartbeatHandler(groupCoordinator));
            handlers.add(new ConsumerGroupDescribeHandler(groupCoordinator));
        }
        return handlers;
    }

    /** Whether KIP-848 consumer groups are served: "consumer" in group.coordinator.rebalance.protocols. */
    private boolean consumerGroupsEnabled() {
        return config.getList(BrokerConfigs.GROUP_COORDINATOR_REBALANCE_PROTOCOLS).contains("consumer");
    }

    /** The port a listener is bound to (useful when configured with port 0). */
    public int boundPort(String listenerName) {
        return socketServer.boundPort(listenerName);
    }

    /** The first listener's bound port. */
    public int boundPort() {
        Endpoint first = config.listeners().get(0);
        return boundPort(first.listenerName());
    }

    public synchronized void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        log.info("Shutting down");
        try {
            if (socketServer != null) {
                socketServer.close();
            }
            if (groupCoordinator != null) {
                groupCoordinator.close();
            }
            if (controller != null) {
                controller.close();
            }
            if (logManager != null) {
                logManager.close();
            }
        } finally {
            stopped.countDown();
        }
    }

    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    public boolean isStarted() {
        return started;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Start-up failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
