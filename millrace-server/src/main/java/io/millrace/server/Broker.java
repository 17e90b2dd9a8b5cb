package io.millrace.server;

import io.millrace.common.Time;
import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.Endpoint;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.group.GroupTypeConfigs;
import io.millrace.coordinator.share.ShareGroupConfig;
import io.millrace.coordinator.streams.StreamsGroupConfig;
import io.millrace.coordinator.txn.TransactionCoordinatorConfig;
import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.coordinator.consumer.ConsumerGroupConfig;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.ControllerSettings;
import io.millrace.metadata.controller.MetadataController;
import io.millrace.metadata.log.BootstrapRecords;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.server.api.Authorizer;
import io.millrace.server.authorizer.AclAuthorizer;
import io.millrace.server.fetchsession.FetchSessionCache;
import io.millrace.server.handlers.AlterPartitionReassignmentsHandler;
import io.millrace.server.handlers.CreateAclsHandler;
import io.millrace.server.handlers.DeleteAclsHandler;
import io.millrace.server.handlers.DescribeAclsHandler;
import io.millrace.server.handlers.DescribeLogDirsHandler;
import io.millrace.server.handlers.DescribeProducersHandler;
import io.millrace.server.handlers.DescribeQuorumHandler;
import io.millrace.server.handlers.ElectLeadersHandler;
import io.millrace.server.handlers.ListPartitionReassignmentsHandler;
import io.millrace.server.handlers.OffsetForLeaderEpochHandler;
import io.millrace.server.lifecycle.BrokerExitWatch;
import io.millrace.server.lifecycle.BrokerLifecycle;
import io.millrace.server.lifecycle.LiveBrokers;
import io.millrace.server.metrics.BrokerMetrics;
import io.millrace.common.config.MetricsListener;
import io.millrace.server.partition.IsrMaintainer;
import io.millrace.server.quorum.QuorumDescriber;
import io.millrace.server.replication.ReplicaFetcherConfig;
import io.millrace.server.replication.ReplicaFetcherManager;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.config.BrokerTopicConfigs;
import io.millrace.server.config.ConfigAlterer;
import io.millrace.server.config.ConfigDescriber;
import io.millrace.server.coordinator.MetadataTopicsView;
import io.millrace.server.coordinator.CoordinatorTopic;
import io.millrace.server.coordinator.CoordinatorTopicSpec;
import io.millrace.server.coordinator.PartitionCoordinatorLog;
import io.millrace.server.coordinator.ShareSurfaces;
import io.millrace.server.coordinator.StreamsSurfaces;
import io.millrace.server.coordinator.TransactionSurfaces;
import io.millrace.server.coordinator.WriteTxnMarkersSender;
import io.millrace.server.txn.AddPartitionsToTxnSender;
import io.millrace.server.txn.TransactionVerifier;
import io.millrace.server.handlers.AlterConfigsHandler;
import io.millrace.server.handlers.AlterUserScramCredentialsHandler;
import io.millrace.server.handlers.ConsumerGroupDescribeHandler;
import io.millrace.server.handlers.ConsumerGroupHeartbeatHandler;
import io.millrace.server.handlers.ApiVersionsHandler;
import io.millrace.server.handlers.CreatePartitionsHandler;
import io.millrace.server.handlers.CreateTopicsHandler;
import io.millrace.server.handlers.DeleteGroupsHandler;
import io.millrace.server.handlers.DeleteRecordsHandler;
import io.millrace.server.handlers.DeleteTopicsHandler;
import io.millrace.server.handlers.DescribeClientQuotasHandler;
import io.millrace.server.handlers.AlterClientQuotasHandler;
import io.millrace.server.handlers.DescribeClusterHandler;
import io.millrace.server.handlers.DescribeUserScramCredentialsHandler;
import io.millrace.server.handlers.DescribeConfigsHandler;
import io.millrace.server.handlers.DescribeGroupsHandler;
import io.millrace.server.handlers.FetchHandler;
import io.millrace.server.handlers.SaslAuthenticateHandler;
import io.millrace.server.handlers.SaslHandshakeHandler;
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
import io.millrace.server.handlers.TxnOffsetCommitHandler;
import io.millrace.server.handlers.WriteTxnMarkersHandler;
import io.millrace.server.network.HandlerRegistry;
import io.millrace.server.network.ListenerSasl;
import io.millrace.server.network.SocketServer;
import io.millrace.server.quota.ClientQuotas;
import io.millrace.server.quota.QuotaWindows;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.security.ClientSasl;
import io.millrace.server.security.ClientTls;
import io.millrace.server.security.ListenerTlsUpdates;
import io.millrace.server.security.ReloadableClientSecurity;
import io.millrace.server.security.ReloadableListenerTls;
import io.millrace.server.security.SaslMechanisms;
import io.millrace.server.security.ServerTls;
import io.millrace.server.partition.LocalPartitions;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.producer.ProducerIdAllocator;
import io.millrace.storage.CleanerConfig;
import io.millrace.storage.LogManager;
import io.millrace.storage.ProducerExpiration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final MetadataPublisher publisher = new MetadataPublisher();
    private MetadataLog metadataLog;
    private MetadataController controller;
    private BrokerLifecycle lifecycle;
    private BrokerExitWatch exitWatch;
    private ReplicaFetcherManager fetchers;
    private IsrMaintainer isrMaintainer;
    private LogManager logManager;
    private GroupCoordinatorService groupCoordinator;
    private volatile TransactionCoordinatorService transactionCoordinator;
    private ShareSurfaces.Coordinator shareCoordinator;
    private WriteTxnMarkersSender transactionMarkers;
    private AddPartitionsToTxnSender verificationSender;
    private TransactionVerifier transactionVerifier;
    private SocketServer socketServer;
    /** Meters the request path records into, gauges read when scraped, and the /metrics listener. */
    private final BrokerMetrics metrics = new BrokerMetrics();
    private volatile boolean started;
    private boolean shutDown;

    /** The TLS of each SSL listener, loaded (key stores read and checked) when the broker is created. */
    private final Map<String, ReloadableListenerTls> listenerTls;
    /** The SASL of each SASL listener, checked when the broker is created. */
    private final Map<String, ListenerSasl> listenerSasl;
    /** TLS towards other brokers when the inter-broker listener is SSL, else plaintext. */
    /** The TLS under the inter-broker connections, replaced when the listener's key store is altered. */
    private final ReloadableClientSecurity interBrokerTls;
    /** TLS and/or SASL towards other brokers, as the inter-broker listener asks; plaintext otherwise. */
    private final ClientSecurity interBrokerSecurity;
    /** Client quotas over the metadata image's quota records. */
    private final ClientQuotas clientQuotas;
    /** Rebuilds the TLS of SSL listeners when their key stores are altered at runtime; set in start(). */
    private ListenerTlsUpdates tlsUpdates;

    /** @throws io.millrace.common.config.ConfigException when an SSL listener's key store or trust store cannot be used */
    public Broker(BrokerConfig config) {
        this.config = config;
        this.listenerTls = ServerTls.forListeners(config, brokerListeners());
        this.listenerSasl = SaslMechanisms.forListeners(config, brokerListeners(), publisher::image);
        this.interBrokerTls = new ReloadableClientSecurity(ClientTls.forInterBroker(config));
        this.interBrokerSecurity = ClientSasl.forInterBroker(config, interBrokerTls);
        this.clientQuotas = new ClientQuotas(publisher::image, QuotaWindows.from(config),
                QuotaWindows.controllerFrom(config), Time.SYSTEM);
    }

    public synchronized void start() {
        long begin = System.nanoTime();
        int nodeId = config.nodeId();
        List<Path> logDirs = config.logDirs();
        ClusterMode mode = ClusterMode.of(config);
        List<Path> formattedDirs = new ArrayList<>(logDirs);
        formattedDirs.add(config.metadataLogDir());
        MetaProperties.Identity cluster = MetaProperties.ensure(formattedDirs, nodeId, config.clusterId().orElse(null),
                mode.derivedClusterId());
        String clusterId = cluster.clusterId();
        log.info("Node {} is in cluster {} ({})", nodeId, clusterId, cluster.source());
        BrokerTopicConfigs topicConfigs = new BrokerTopicConfigs(config, publisher::image);
        Path metadataDir = config.metadataLogDir().resolve(METADATA_DIR);
        List<MetadataRecord> bootstrap = BootstrapRecords.read(config.metadataLogDir());
        metadataLog = mode.openMetadataLog(nodeId, metadataDir, clusterId, publisher);
        controller = new MetadataController(metadataLog, publisher, controllerSettings(), topicConfigs::check, Time.SYSTEM,
                bootstrap);
        ControllerChannel channel = mode.connect(metadataLog, controller);
        tlsUpdates = new ListenerTlsUpdates(config, publisher::image, listenerTls, interBrokerTls);
        await(publisher.register(tlsUpdates));
        logManager = new LogManager(logDirs, Time.SYSTEM, config.logRetentionCheckIntervalMs(),
                LogManager.DEFAULT_FLUSH_CHECK_INTERVAL_MS, CleanerConfig.from(config), new ProducerExpiration(
                        () -> topicConfigs.effectiveBrokerConfig().getInt(BrokerConfigs.PRODUCER_ID_EXPIRATION_MS),
                        number(BrokerConfigs.PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS)));

        BrokerIdentity identity = new BrokerIdentity(nodeId, clusterId, config.advertisedListeners(),
                config.rack().orElse(null));
        lifecycle = new BrokerLifecycle(nodeId, channel, publisher, () -> endpoints(identity),
                config.rack().orElse(null), number(BrokerConfigs.BROKER_HEARTBEAT_INTERVAL_MS), Time.SYSTEM);
        lifecycle.watchStorage(logManager.storageHealth()::failing);
        String interBroker = config.interBrokerListenerName();
        fetchers = new ReplicaFetcherManager(nodeId, lifecycle::brokerEpoch,
                id -> publisher.image().broker(id).flatMap(b -> b.endpoint(interBroker))
                        .map(e -> new InetSocketAddress(e.host(), e.port())),
                replicaFetcherConfig(), Time.SYSTEM);
        LocalPartitions partitions = new LocalPartitions(nodeId, logManager, topicConfigs, fetchers, Time.SYSTEM);
        partitions.loadExisting(publisher.image(), mode.isSingleNode());
        await(publisher.register(partitions));
        if (!mode.isSingleNode()) {
            // logs that look stray were kept while the image caught up: now they are known to be
            metadataLog.caughtUp().thenAccept(partitions::deleteStrayLogs);
        }
        logManager.startBackgroundTasks();
        PartitionAccess access = new PartitionAccess(nodeId, partitions);
        access.recordThroughput(metrics.throughput());
        isrMaintainer = new IsrMaintainer(nodeId, partitions, channel, lifecycle::brokerEpoch,
                number(BrokerConfigs.REPLICA_LAG_TIME_MAX_MS), Time.SYSTEM);
        isrMaintainer.countChanges(metrics.isrShrinks(), metrics.isrExpands());
        CoordinatorTopicSpec offsetsTopicSpec = CoordinatorTopicSpec.consumerOffsets(config, mode.isSingleNode());
        groupCoordinator = new GroupCoordinatorService(GroupCoordinatorConfig.from(config),
                new PartitionCoordinatorLog(offsetsTopicSpec.name(), access, Time.SYSTEM,
                        config.getInt("offsets.load.buffer.size")),
                new MetadataTopicsView(publisher::image), Time.SYSTEM, new GroupTypeConfigs(ConsumerGroupConfig.from(config)
                        .withOverrides(groupId -> publisher.image().groupConfig(groupId)),
                        StreamsGroupConfig.from(config).withOverrides(groupId -> publisher.image().groupConfig(groupId)),
                        ShareGroupConfig.from(config).withOverrides(groupId -> publisher.image().groupConfig(groupId))));
        CoordinatorTopic offsetsTopic = new CoordinatorTopic(offsetsTopicSpec, nodeId, channel, publisher,
                groupCoordinator);
        await(publisher.register(offsetsTopic)); // after `partitions`, so a partition's log exists before it loads
        ProducerIdAllocator producerIds = new ProducerIdAllocator(nodeId, channel);
        shareCoordinator = ShareSurfaces.startCoordinator(config, mode.isSingleNode(), nodeId, channel, publisher,
                access, interBroker, interBrokerSecurity);
        CoordinatorTopic transactionTopic = TransactionSurfaces.served()
                ? startTransactionCoordinator(nodeId, mode, channel, access, producerIds, interBroker, topicConfigs) : null;

        LiveBrokers brokers = new LiveBrokers(identity, mode.activeControllerId(metadataLog, nodeId));
        QuorumDescriber quorum = mode.describer(metadataLog, nodeId, publisher);
        HandlerRegistry registry = HandlerRegistry.of(
                handlers(identity, brokers, channel, access, topicConfigs, offsetsTopic, transactionTopic, producerIds,
                        quorum),
                r -> new ApiVersionsHandler(r, identity.clusterId(), identity.nodeId(), features()));
        socketServer = new SocketServer(brokerListeners(), Map.copyOf(listenerTls), listenerSasl, registry, authorizer(),
                config.socketRequestMaxBytes(),
                ((Number) config.get("socket.send.buffer.bytes")).intValue(),
                ((Number) config.get("socket.receive.buffer.bytes")).intValue());
        socketServer.throttleClients(clientQuotas);
        socketServer.observeRequests(metrics.requests());
        // Bound now (registration advertises the ports); a single node accepts once its controller
        // has unfenced it, as Kafka's broker opens its client listeners only when it may serve.
        socketServer.bind();
        if (!mode.isSingleNode()) {
            socketServer.accept();
        }
        metrics.watch(partitions, publisher::image, metadataLog::isActive, groupCoordinator, logManager.stats(),
                socketServer, quorum);
        metrics.watchMetadataLog(metadataLog);
        await(publisher.register(metrics.deletedTopics()));
        java.util.concurrent.CompletableFuture<Void> metricsServed = metrics.serveInBackground(MetricsListener.of(config));
        identity.resolvePorts(socketServer::boundPort);
        lifecycle.start();
        isrMaintainer.start();
        if (!mode.isSingleNode() && config.processRoles().contains("controller")) {
            // on every node that may become the active controller, so a new one already knows who died
            MetadataLog watchedLog = metadataLog;
            exitWatch = new BrokerExitWatch(nodeId, interBroker, publisher::image, watchedLog::isActive,
                    (id, epoch, evidence) -> controller.fenceExitedBroker(id, epoch, evidence));
            exitWatch.start();
        }
        if (mode.isSingleNode()) {
            // Its own controller: registration and the first heartbeat take a moment, so clients
            // never see this node without leaders.
            awaitUnfenced(Duration.ofSeconds(30));
            socketServer.accept();
        }
        awaitMetricsServed(metricsServed);
        started = true;
        log.info("Millrace node {} started in {} ms: listening on {}, data in {}{}", nodeId,
                (System.nanoTime() - begin) / 1_000_000, identity.advertised(), logDirs, mode.describe());
    }

    /**
     * The transaction coordinator over {@code __transaction_state} (created on first
     * FindCoordinator), with its marker sender; only when {@link TransactionSurfaces#served()}.
     */
    private CoordinatorTopic startTransactionCoordinator(int nodeId, ClusterMode mode, ControllerChannel channel,
                                                         PartitionAccess access, ProducerIdAllocator producerIds,
                                                         String interBroker, BrokerTopicConfigs topicConfigs) {
        CoordinatorTopicSpec spec = CoordinatorTopicSpec.transactionState(config, mode.isSingleNode());
        transactionMarkers = new WriteTxnMarkersSender(publisher::image, interBroker, partition -> {
            TransactionCoordinatorService coordinator = transactionCoordinator;
            return coordinator != null && coordinator.isActive(partition);
        }, interBrokerSecurity);
        transactionCoordinator = new TransactionCoordinatorService(TransactionCoordinatorConfig.from(config),
                new PartitionCoordinatorLog(spec.name(), access, Time.SYSTEM,
                        config.getInt("transaction.state.log.load.buffer.size")),
                Time.SYSTEM, producerIds::nextProducerId, transactionMarkers);
        CoordinatorTopic topic = new CoordinatorTopic(spec, nodeId, channel, publisher, transactionCoordinator);
        await(publisher.register(topic));
        verificationSender = new AddPartitionsToTxnSender(publisher::image, interBroker, interBrokerSecurity);
        // Verified writes are appended on a virtual thread of their own, never on the coordinator's.
        transactionVerifier = TransactionVerifier.of(
                () -> topicConfigs.effectiveBrokerConfig().getBoolean(BrokerConfigs.TRANSACTION_PARTITION_VERIFICATION_ENABLE),
                nodeId, transactionCoordinator, publisher::image, verificationSender,
                task -> Thread.ofVirtual().name("txn-verified-write").start(task),
                new TransactionVerifier.ConcurrentRetry(config.getInt(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS),
                        config.getInt(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS)));
        return topic;
    }

    /**
     * The ACL authorizer when {@code authorizer.class.name} names it (Kafka's StandardAuthorizer or
     * ours), reading the ACLs of this node's image; else none, and every request is allowed.
     */
    private Authorizer authorizer() {
        if (config.getString("authorizer.class.name").isEmpty()) {
            if (config.getString("super.users") != null || config.getBoolean("allow.everyone.if.no.acl.found")) {
                log.warn("super.users and allow.everyone.if.no.acl.found have no effect without authorizer.class.name");
            }
            return Authorizer.NONE;
        }
        Set<String> superUsers = AclAuthorizer.parseSuperUsers(config.getString("super.users"));
        log.info("Authorizing requests with the ACLs in the cluster metadata; super users: {}", superUsers);
        return new AclAuthorizer(superUsers, config.getBoolean("allow.everyone.if.no.acl.found"), publisher::image);
    }

    /** The finalized features ApiVersions advertises: only those fully served. */
    private Map<String, Short> features() {
        Map<String, Short> features = new HashMap<>(TransactionSurfaces.features());
        features.putAll(StreamsSurfaces.features());
        features.putAll(ShareSurfaces.features());
        if (consumerGroupsEnabled()) {
            features.put("group.version", (short) 1);
        }
        return Map.copyOf(features);
    }

    /** The metrics listener started beside the last steps of start-up: its failure fails the start. */
    private static void awaitMetricsServed(java.util.concurrent.CompletableFuture<Void> served) {
        try {
            served.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // a ConfigException naming millrace.metrics.listener, as when served in line
            }
            throw new IllegalStateException("Start-up failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void awaitUnfenced(Duration timeout) {
        try {
            lifecycle.unfenced().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Not yet unfenced by the controller after {} ms; serving anyway", timeout.toMillis());
        }
    }

    /** The listeners clients use: every listener but the controller's (the quorum binds that one). */
    private List<Endpoint> brokerListeners() {
        return config.listeners().stream()
                .filter(e -> !config.controllerListenerNames().contains(e.listenerName())).toList();
    }

    /** The endpoints this broker registers: its advertised listeners with their security protocols. */
    private List<BrokerEndpoint> endpoints(BrokerIdentity identity) {
        return identity.advertised().stream().map(e -> new BrokerEndpoint(e.listenerName(), e.host(), e.port(),
                config.securityProtocol(e.listenerName()))).toList();
    }

    private ControllerSettings controllerSettings() {
        return new ControllerSettings(config.numPartitions(), config.defaultReplicationFactor(),
                number(BrokerConfigs.BROKER_SESSION_TIMEOUT_MS),
                config.getBoolean(BrokerConfigs.UNCLEAN_LEADER_ELECTION_ENABLE),
                config.getBoolean(BrokerConfigs.AUTO_LEADER_REBALANCE_ENABLE),
                number("leader.imbalance.check.interval.seconds") * 1000);
    }

    private ReplicaFetcherConfig replicaFetcherConfig() {
        return new ReplicaFetcherConfig((int) number(BrokerConfigs.REPLICA_FETCH_MAX_BYTES),
                (int) number("replica.fetch.response.max.bytes"), (int) number("replica.fetch.wait.max.ms"),
                (int) number("replica.fetch.min.bytes"), Math.min(100, (int) number("replica.fetch.backoff.ms")),
                (int) number("replica.socket.timeout.ms"), interBrokerSecurity);
    }

    private List<ApiHandler<?>> handlers(BrokerIdentity identity, LiveBrokers brokers, ControllerChannel channel,
                                         PartitionAccess access, BrokerTopicConfigs topicConfigs,
                                         CoordinatorTopic offsetsTopic, CoordinatorTopic transactionTopic,
                                         ProducerIdAllocator producerIds, QuorumDescriber quorum) {
        TopicNameResolver topics = new TopicNameResolver(publisher::image);
        ConfigDescriber describer = new ConfigDescriber(topicConfigs, publisher::image, identity.nodeId(), tlsUpdates);
        List<ApiHandler<?>> handlers = new ArrayList<>();
        handlers.add(new ProduceHandler(topics, access, transactionVerifier));
        handlers.add(new FetchHandler(topics, access, clientQuotas::fetchBytesWithinWindow,
                new FetchSessionCache(config.getInt(FetchSessionCache.MAX_SLOTS_KEY))));
        handlers.add(new SaslHandshakeHandler());
        handlers.add(new SaslAuthenticateHandler());
        handlers.add(new ListOffsetsHandler(access));
        handlers.add(new OffsetForLeaderEpochHandler(access));
        handlers.add(new MetadataHandler(brokers, channel, publisher, config::autoCreateTopicsEnable));
        handlers.add(new CreateTopicsHandler(channel, describer, clientQuotas));
        handlers.add(new DeleteTopicsHandler(channel, publisher, config::deleteTopicEnable, clientQuotas));
        handlers.add(new CreatePartitionsHandler(channel, publisher, clientQuotas));
        handlers.add(new DeleteRecordsHandler(access));
        handlers.add(new WriteTxnMarkersHandler(access, CoordinatorTopicSpec.CONSUMER_OFFSETS, groupCoordinator));
        handlers.add(new DescribeProducersHandler(access));
        handlers.add(new DescribeLogDirsHandler(config.logDirs(), access.partitions()));
        handlers.add(new DescribeConfigsHandler(describer, identity.nodeId()));
        ConfigAlterer alterer = new ConfigAlterer(channel, describer, identity.nodeId());
        handlers.add(new AlterConfigsHandler(alterer));
        handlers.add(new IncrementalAlterConfigsHandler(alterer));
        handlers.add(new DescribeClusterHandler(brokers, publisher));
        handlers.add(new AlterUserScramCredentialsHandler(channel));
        handlers.add(new CreateAclsHandler(channel));
        handlers.add(new DescribeAclsHandler(publisher));
        handlers.add(new DeleteAclsHandler(channel));
        handlers.add(new DescribeUserScramCredentialsHandler(publisher));
        handlers.add(new DescribeClientQuotasHandler(publisher));
        handlers.add(new AlterClientQuotasHandler(channel));
        handlers.add(new ElectLeadersHandler(channel));
        handlers.add(new AlterPartitionReassignmentsHandler(channel, publisher));
        handlers.add(new ListPartitionReassignmentsHandler(publisher));
        handlers.add(new DescribeQuorumHandler(quorum, publisher));
        handlers.add(new InitProducerIdHandler(producerIds, transactionCoordinator));
        handlers.add(new FindCoordinatorHandler(brokers, publisher, offsetsTopic, transactionTopic));
        if (transactionCoordinator != null) {
            handlers.addAll(TransactionSurfaces.handlers(transactionCoordinator, groupCoordinator, publisher));
        }
        handlers.add(new JoinGroupHandler(groupCoordinator));
        handlers.add(new SyncGroupHandler(groupCoordinator));
        handlers.add(new HeartbeatHandler(groupCoordinator));
        handlers.add(new LeaveGroupHandler(groupCoordinator));
        handlers.add(new OffsetCommitHandler(groupCoordinator, topics));
        handlers.add(new OffsetFetchHandler(groupCoordinator, topics));
        handlers.add(new TxnOffsetCommitHandler(groupCoordinator, CoordinatorTopicSpec.CONSUMER_OFFSETS,
                transactionVerifier));
        handlers.add(new OffsetDeleteHandler(groupCoordinator));
        handlers.add(new ListGroupsHandler(groupCoordinator));
        handlers.add(new DescribeGroupsHandler(groupCoordinator));
        handlers.add(ShareSurfaces.deleteGroups(new DeleteGroupsHandler(groupCoordinator), groupCoordinator,
                shareCoordinator, topics));
        if (consumerGroupsEnabled()) {
            handlers.add(new ConsumerGroupHeartbeatHandler(groupCoordinator));
            handlers.add(new ConsumerGroupDescribeHandler(groupCoordinator));
        }
        handlers.addAll(StreamsSurfaces.handlers(groupCoordinator, channel));
        handlers.addAll(ShareSurfaces.handlers(groupCoordinator, shareCoordinator, topics, access, config,
                groupId -> publisher.image().groupConfig(groupId)));
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

    /** The bound port of the /metrics listener (millrace.metrics.listener), empty when there is none. */
    public Optional<Integer> metricsPort() {
        return metrics.port();
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
            if (lifecycle != null && started) {
                // Controlled shutdown: leadership moves to other replicas while this node still serves.
                lifecycle.controlledShutdown(number(BrokerConfigs.BROKER_SESSION_TIMEOUT_MS) * 3);
            }
            closeQuietly(lifecycle);
            closeQuietly(exitWatch);
            closeQuietly(metrics);
            if (socketServer != null) {
                socketServer.close();
            }
            closeQuietly(isrMaintainer);
            closeQuietly(fetchers);
            if (transactionCoordinator != null) {
                transactionCoordinator.close();
                transactionMarkers.close();
                verificationSender.close();
            }
            closeQuietly(shareCoordinator);
            if (groupCoordinator != null) {
                groupCoordinator.close();
            }
            closeQuietly(controller);
            closeQuietly(metadataLog);
            if (logManager != null) {
                logManager.close();
            }
        } finally {
            stopped.countDown();
        }
    }

    private long number(String key) {
        return ((Number) config.get(key)).longValue();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
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
