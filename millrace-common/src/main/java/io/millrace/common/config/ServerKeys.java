package io.millrace.common.config;

import static io.millrace.common.config.ConfigType.BOOLEAN;
import static io.millrace.common.config.ConfigType.CLASS;
import static io.millrace.common.config.ConfigType.INT;
import static io.millrace.common.config.ConfigType.LIST;
import static io.millrace.common.config.ConfigType.LONG;
import static io.millrace.common.config.ConfigType.PASSWORD;
import static io.millrace.common.config.ConfigType.STRING;
import static io.millrace.common.config.Support.IGNORED;
import static io.millrace.common.config.Support.UNSUPPORTED;
import static io.millrace.common.config.Validator.atLeast;
import static io.millrace.common.config.Validator.between;
import static io.millrace.common.config.Validator.listOf;
import static io.millrace.common.config.Validator.nonBlank;
import static io.millrace.common.config.Validator.oneOf;

/**
 * Broker keys about identity, the cluster quorum, the network, threads and security.
 * Many are accepted for compatibility with Kafka's server.properties and not acted on: each says
 * so with its {@link Support} (security keys, for one, are UNSUPPORTED).
 */
final class ServerKeys {

    static final String SECURITY_PROTOCOL_MAP_DEFAULT =
            "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT";

    private ServerKeys() {
    }

    static void define(ConfigDef.Builder b) {
        identity(b);
        quorum(b);
        network(b);
        threads(b);
        security(b);
        observability(b);
    }

    private static void identity(ConfigDef.Builder b) {
        b.define(BrokerConfigs.NODE_ID, INT, 1, atLeast(0),
                "This node's id in the cluster. Millrace defaults to 1 so a single node needs no configuration.");
        b.define(BrokerConfigs.BROKER_ID, INT, null, atLeast(0),
                "The older name of node.id. When both are set they must be equal.");
        b.define(BrokerConfigs.PROCESS_ROLES, LIST, "broker,controller", listOf(false, "broker", "controller"),
                "The roles this node plays: with controller it is a voter of the metadata quorum "
                        + "(controller.quorum.voters must list it), with broker only it follows the quorum without "
                        + "voting. Every Millrace node also serves clients as a broker.");
        b.define(BrokerConfigs.CLUSTER_ID, STRING, null, nonBlank(),
                "The cluster id reported to clients. When unset the broker picks one and keeps it with its data.");
        b.define(BrokerConfigs.BROKER_RACK, STRING, null, "The rack (or zone) of this broker, for rack-aware placement.");
    }

    private static void quorum(ConfigDef.Builder b) {
        b.define(BrokerConfigs.CONTROLLER_LISTENER_NAMES, STRING, null,
                "Comma-separated names of the listeners used by the controller quorum.");
        b.define(BrokerConfigs.CONTROLLER_QUORUM_VOTERS, LIST, "",
                "The voters of the controller quorum, as id@host:port entries.");
        b.define(UNSUPPORTED, "controller.quorum.bootstrap.servers", LIST, "",
                "host:port entries used to discover the controller quorum.");
        b.define(IGNORED, "controller.quorum.election.timeout.ms", INT, 1000,
                "How long to wait without a leader before an election.");
        b.define(IGNORED, "controller.quorum.fetch.timeout.ms", INT, 2000,
                "How long a follower waits without a fetch before it suspects the leader.");
        b.define(IGNORED, "controller.quorum.election.backoff.max.ms", INT, 1000,
                "Upper bound of the back-off before a new election.");
        b.define(IGNORED, "controller.quorum.append.linger.ms", INT, 25,
                "How long the quorum leader lingers to batch writes.");
        b.define(IGNORED, "controller.quorum.request.timeout.ms", INT, 2000, "Timeout of requests between quorum members.");
        b.define(IGNORED, "controller.quorum.retry.backoff.ms", INT, 20,
                "Back-off before retrying a failed quorum request.");
        b.define(IGNORED, "initial.broker.registration.timeout.ms", INT, 60000,
                "How long a starting broker may take to register.");
        b.define(BrokerConfigs.BROKER_HEARTBEAT_INTERVAL_MS, INT, 2000, "Interval of broker heartbeats to the controller.");
        b.define(BrokerConfigs.BROKER_SESSION_TIMEOUT_MS, INT, 9000,
                "A broker that sends no heartbeat for this long is fenced.");
        b.define(BrokerConfigs.METADATA_LOG_DIR, STRING, null,
                "Directory of the cluster metadata log. When unset the first data directory is used.");
        b.define(IGNORED, "metadata.log.segment.bytes", INT, 1073741824, atLeast(1), "Segment size of the metadata log.");
        b.define(IGNORED, "metadata.log.segment.ms", LONG, 604800000L, atLeast(1),
                "Longest time before a metadata log segment rolls.");
        b.define(IGNORED, "metadata.max.retention.bytes", LONG, 104857600L,
                "Bytes of metadata log kept beside the latest snapshot.");
        b.define(IGNORED, "metadata.max.retention.ms", LONG, 604800000L,
                "How long metadata log segments are kept after a snapshot.");
        b.define(IGNORED, "metadata.max.idle.interval.ms", INT, 500, atLeast(0),
                "How often the controller writes a no-op record when idle.");
        b.define(IGNORED, "metadata.log.max.record.bytes.between.snapshots", LONG, 20971520L, atLeast(1),
                "Bytes of metadata records after which a snapshot is taken.");
        b.define(IGNORED, "metadata.log.max.snapshot.interval.ms", LONG, 3600000L, atLeast(0),
                "Longest time between metadata snapshots; 0 disables the time trigger.");
    }

    private static void network(ConfigDef.Builder b) {
        b.define(BrokerConfigs.LISTENERS, STRING, "PLAINTEXT://127.0.0.1:9092",
                "Comma-separated NAME://host:port endpoints to listen on. An empty host or 0.0.0.0 listens on "
                        + "every interface. Kafka's default is PLAINTEXT://:9092; Millrace listens on loopback.");
        b.define(BrokerConfigs.ADVERTISED_LISTENERS, STRING, null,
                "Endpoints given to clients in metadata, when they differ from listeners.");
        b.define(BrokerConfigs.LISTENER_SECURITY_PROTOCOL_MAP, STRING, SECURITY_PROTOCOL_MAP_DEFAULT,
                "NAME:PROTOCOL pairs giving each listener's security protocol.");
        b.define(BrokerConfigs.INTER_BROKER_LISTENER_NAME, STRING, null,
                "The listener brokers use to talk to each other.");
        b.define("security.inter.broker.protocol", STRING, "PLAINTEXT",
                oneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
                "Protocol between brokers, when inter.broker.listener.name is unset.");
        b.define(BrokerConfigs.SOCKET_SEND_BUFFER_BYTES, INT, 102400,
                "SO_SNDBUF of accepted sockets; -1 keeps the OS default.");
        b.define(BrokerConfigs.SOCKET_RECEIVE_BUFFER_BYTES, INT, 102400,
                "SO_RCVBUF of accepted sockets; -1 keeps the OS default.");
        b.define(BrokerConfigs.SOCKET_REQUEST_MAX_BYTES, INT, 104857600, atLeast(1), "Largest request accepted, in bytes.");
        b.define(IGNORED, "socket.listen.backlog.size", INT, 50, atLeast(1),
                "Backlog of pending connections on each listener.");
        b.define(IGNORED, "socket.connection.setup.timeout.ms", LONG, 10000L,
                "Initial timeout of an outgoing connection attempt.");
        b.define(IGNORED, "socket.connection.setup.timeout.max.ms", LONG, 30000L,
                "Largest timeout of an outgoing connection attempt.");
        b.define(IGNORED, BrokerConfigs.CONNECTIONS_MAX_IDLE_MS, LONG, 600000L,
                "Idle connections are closed after this long.");
        b.define("connections.max.reauth.ms", LONG, 0L,
                "Longest SASL session before the client must re-authenticate (KIP-368); 0 disables. Per listener and "
                        + "mechanism as listener.name.NAME.MECHANISM.connections.max.reauth.ms.");
        b.defineDynamic(UNSUPPORTED, "max.connections", INT, Integer.MAX_VALUE, atLeast(0),
                "Most connections the broker accepts.");
        b.defineDynamic(UNSUPPORTED, "max.connections.per.ip", INT, Integer.MAX_VALUE, atLeast(0),
                "Most connections from one address.");
        b.defineDynamic(UNSUPPORTED, "max.connections.per.ip.overrides", STRING, "",
                "host:count pairs overriding max.connections.per.ip.");
        b.defineDynamic(UNSUPPORTED, "max.connection.creation.rate", INT, Integer.MAX_VALUE, atLeast(0),
                "Most new connections per second on a listener.");
        b.define(IGNORED, BrokerConfigs.QUEUED_MAX_REQUESTS, INT, 500, atLeast(1),
                "Requests queued for the I/O threads before the network threads stop reading.");
        b.define(IGNORED, "queued.max.request.bytes", LONG, -1L,
                "Bytes of queued requests before reading stops; -1 for no limit.");
        b.define(IGNORED, "fetch.max.bytes", INT, 57671680, atLeast(1024), "Most bytes returned by one fetch request.");
        b.define("max.incremental.fetch.session.cache.slots", INT, 1000, atLeast(0),
                "Incremental fetch sessions kept (KIP-227); 0 turns them off.");
        b.define(IGNORED, "fetch.purgatory.purge.interval.requests", INT, 1000,
                "Purge interval of the fetch purgatory, in requests.");
        b.define(IGNORED, "producer.purgatory.purge.interval.requests", INT, 1000,
                "Purge interval of the produce purgatory, in requests.");
        b.define(IGNORED, "delete.records.purgatory.purge.interval.requests", INT, 1,
                "Purge interval of the delete-records purgatory.");
    }

    private static void threads(ConfigDef.Builder b) {
        b.defineDynamic(IGNORED, BrokerConfigs.NUM_NETWORK_THREADS, INT, 3, atLeast(1),
                "Threads per listener that read requests from and write responses to sockets.");
        b.defineDynamic(IGNORED, BrokerConfigs.NUM_IO_THREADS, INT, 8, atLeast(1), "Threads that process requests.");
        b.defineDynamic(IGNORED, "background.threads", INT, 10, atLeast(1), "Threads for background tasks.");
        b.defineDynamic(IGNORED, "num.recovery.threads.per.data.dir", INT, 2, atLeast(1),
                "Threads per data directory that recover logs at start-up and flush them at shut-down.");
    }

    private static void security(ConfigDef.Builder b) {
        // ACLs (millrace-server's authorizer package): Kafka's StandardAuthorizer name, or ours, enables them.
        b.define("authorizer.class.name", STRING, "", oneOf("", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "io.millrace.server.authorizer.AclAuthorizer"),
                "The authorizer: empty for none, Kafka's StandardAuthorizer (or Millrace's AclAuthorizer, the same) for "
                        + "ACLs kept in the cluster metadata. Other authorizer classes cannot be loaded.");
        b.define("super.users", STRING, null, "Semicolon-separated principals the authorizer always allows.");
        b.define("allow.everyone.if.no.acl.found", BOOLEAN, false,
                "Whether a resource without ACLs is open to everyone.");
        b.define(UNSUPPORTED, "principal.builder.class", CLASS,
                "org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder",
                "Builds the principal of an authenticated connection.");
        b.define("sasl.enabled.mechanisms", LIST, "GSSAPI", "SASL mechanisms the broker accepts; Millrace serves PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER "
                + "(unsecured JWTs).");
        b.define("sasl.mechanism.inter.broker.protocol", STRING, "GSSAPI",
                "SASL mechanism brokers authenticate to each other with when the inter-broker listener uses SASL "
                        + "(PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512).");
        b.define(UNSUPPORTED, "sasl.mechanism.controller.protocol", STRING, "GSSAPI",
                "SASL mechanism towards the controller.");
        b.define("sasl.jaas.config", PASSWORD, null,
                "JAAS login configuration for SASL connections (PlainLoginModule with user_NAME=\"PASSWORD\" options).");
        // TLS: acted on for SSL listeners (per listener as listener.name.NAME.ssl.*), see millrace-server's security package.
        b.define("ssl.protocol", STRING, "TLSv1.3", "TLS protocol used to create the SSLContext.");
        b.define("ssl.enabled.protocols", LIST, "TLSv1.2,TLSv1.3", "TLS protocols enabled on connections.");
        b.define("ssl.cipher.suites", LIST, "", "Cipher suites enabled; empty for the JVM's defaults.");
        b.define("ssl.client.auth", STRING, "none", oneOf("required", "requested", "none"),
                "Whether TLS clients must present a certificate.");
        b.define("ssl.endpoint.identification.algorithm", STRING, "https",
                "Host name verification of the certificate of a broker this broker connects to; empty for none.");
        b.define("ssl.keystore.type", STRING, "JKS", "Format of the key store: JKS, PKCS12 or PEM.");
        b.define("ssl.keystore.location", STRING, null, "Path of the key store.");
        b.define("ssl.keystore.password", PASSWORD, null, "Password of the key store.");
        b.define("ssl.keystore.key", PASSWORD, null, "Private key in PEM form (ssl.keystore.type=PEM).");
        b.define("ssl.keystore.certificate.chain", PASSWORD, null, "Certificate chain in PEM form.");
        b.define("ssl.key.password", PASSWORD, null, "Password of the private key.");
        b.define("ssl.truststore.type", STRING, "JKS", "Format of the trust store: JKS, PKCS12 or PEM.");
        b.define("ssl.truststore.location", STRING, null, "Path of the trust store; the JVM's default trust when unset.");
        b.define("ssl.truststore.password", PASSWORD, null, "Password of the trust store.");
        b.define("ssl.truststore.certificates", PASSWORD, null, "Trusted certificates in PEM form.");
        b.define("ssl.keymanager.algorithm", STRING, "SunX509", "Key manager factory algorithm.");
        b.define("ssl.trustmanager.algorithm", STRING, "PKIX", "Trust manager factory algorithm.");
        b.define("ssl.allow.dn.changes", BOOLEAN, false,
                "Whether a key store altered at runtime may hold a certificate with another distinguished name.");
        b.define("ssl.allow.san.changes", BOOLEAN, false,
                "Whether a key store altered at runtime may drop subject alternative names of the certificate.");
        b.define("ssl.principal.mapping.rules", STRING, "DEFAULT",
                "Rules mapping a client certificate's distinguished name to a principal name.");
    }

    private static void observability(ConfigDef.Builder b) {
        b.define(BrokerConfigs.METRICS_LISTENER, STRING, "", MetricsListener.VALIDATOR,
                "Millrace's own: host:port of the HTTP listener serving Prometheus metrics on /metrics (port 0 "
                        + "picks a free one); empty for none. ./millrace server defaults it to 127.0.0.1:9404 on a "
                        + "single node.");
        b.defineDynamic(IGNORED, "metric.reporters", LIST, "", "Classes notified of metrics.");
        b.define(IGNORED, "metrics.num.samples", INT, 2, atLeast(1), "Samples kept to compute a metric.");
        b.define(IGNORED, "metrics.sample.window.ms", LONG, 30000L, atLeast(1), "Window of one metrics sample.");
        b.define(IGNORED, "metrics.recording.level", STRING, "INFO", oneOf("INFO", "DEBUG", "TRACE"),
                "Highest metrics level recorded.");
        b.define(IGNORED, "kafka.metrics.reporters", LIST, "", "Yammer metrics reporter classes.");
        b.define(IGNORED, "kafka.metrics.polling.interval.secs", INT, 10, atLeast(1),
                "Polling interval of the metrics reporters.");
        b.define("quota.window.num", INT, 11, atLeast(1), "Samples kept for client quotas.");
        b.define("quota.window.size.seconds", INT, 1, atLeast(1), "Length of one client quota sample.");
        b.define("controller.quota.window.num", INT, 11, atLeast(1), "Samples kept for controller mutation quotas.");
        b.define("controller.quota.window.size.seconds", INT, 1, atLeast(1),
                "Length of one controller mutation quota sample.");
        b.define(UNSUPPORTED, "client.quota.callback.class", CLASS, null, "Class that computes client quotas.");
        b.define(UNSUPPORTED, "create.topic.policy.class.name", CLASS, null, "Policy class validating topic creation.");
        b.define(UNSUPPORTED, "alter.config.policy.class.name", CLASS, null, "Policy class validating config changes.");
        b.define(UNSUPPORTED, "remote.log.storage.system.enable", BOOLEAN, false, "Whether tiered storage is enabled.");
        b.defineDynamic(IGNORED, BrokerConfigs.COMPRESSION_TYPE, STRING, "producer",
                oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                "Default compression of topics; producer keeps whatever the producer used.");
        b.defineDynamic(IGNORED, "compression.gzip.level", INT, -1, gzipLevel(), "Default gzip level of topics.");
        b.defineDynamic(IGNORED, "compression.lz4.level", INT, 9, between(1, 17), "Default lz4 level of topics.");
        b.defineDynamic(IGNORED, "compression.zstd.level", INT, 3, between(-131072, 22), "Default zstd level of topics.");
    }

    /** -1 (the codec's default) or 1..9. */
    static Validator gzipLevel() {
        Validator range = between(1, 9);
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value != null && (Integer) value != -1) {
                    range.ensureValid(key, value);
                }
            }

            @Override
            public String toString() {
                return "[1,...,9] or -1";
            }
        };
    }
}
