package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import io.millrace.server.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL/PLAIN with kafka-clients, kcat and raw requests: one node with a PLAINTEXT listener, a
 * SASL_PLAINTEXT listener (users from its listener-prefixed JAAS config; also the inter-broker
 * listener, so the broker's transaction markers to itself authenticate with PLAIN) and a SASL_SSL
 * listener (users from sasl.jaas.config); and SASL/OAUTHBEARER with unsecured JWTs on a fourth listener.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SaslPlainIT {
    private static final String MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    private static final String OAUTH_MODULE =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required";
    @TempDir
    static Path tempDir;
    static Path clientTrust;
    static Path brokerCertPem;
    static InProcessBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        TestCertificates certs = TestCertificates.in(tempDir.resolve("certs"));
        Path brokerKeys = certs.keyStore("broker", "CN=localhost,O=millrace-test");
        clientTrust = certs.trustStore("client-trust", brokerKeys);
        brokerCertPem = certs.certificatePem("broker-cert", brokerKeys);
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL://127.0.0.1:0,SASLSSL://127.0.0.1:0,OAUTH://127.0.0.1:0");
        props.put("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT,SASLSSL:SASL_SSL,OAUTH:SASL_PLAINTEXT");
        props.put("listener.name.oauth.sasl.enabled.mechanisms", "OAUTHBEARER");
        props.put("listener.name.oauth.oauthbearer.sasl.jaas.config", OAUTH_MODULE
                + " unsecuredValidatorRequiredScope=\"kafka\";");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        // The broker's own connections (transaction markers, to itself) authenticate as admin with PLAIN.
        props.put("inter.broker.listener.name", "SASL");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("listener.name.sasl.plain.sasl.jaas.config",
                MODULE + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" "
                        + "user_alice=\"alice-secret\";");
        props.put("sasl.jaas.config", MODULE + " user_bob=\"bob-secret\";");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", brokerKeys.toString());
        props.put("ssl.keystore.password", TestCertificates.PASSWORD);
        broker = InProcessBroker.start(tempDir.resolve("data"), props);
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(broker);
    }

    private static String bootstrap(String listener) {
        return "127.0.0.1:" + broker.port(listener);
    }

    private static Map<String, Object> plain(String protocol, String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, MODULE + " username=\"" + user + "\" password=\"" + password + "\";");
        if (protocol.equals("SASL_SSL")) {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, clientTrust.toString());
            props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        }
        return props;
    }

    private static void produceAndConsume(String listener, Map<String, Object> security, String topic) {
        String bootstrap = bootstrap(listener);
        try (Admin admin = Clients.admin(bootstrap, security)) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, security)) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, security)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, partition, 20);
            assertEquals("v19", records.get(19).value());
        }
    }

    @Test
    void theRightCredentialsProduceAndConsume() {
        produceAndConsume("SASL", plain("SASL_PLAINTEXT", "alice", "alice-secret"), "sasl-topic");
    }

    @Test
    void transactionMarkersTravelOverTheSaslPlainInterBrokerListener() {
        Map<String, Object> alice = plain("SASL_PLAINTEXT", "alice", "alice-secret");
        String topic = "sasl-transactions";
        try (Admin admin = Clients.admin(bootstrap("SASL"), alice)) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        Map<String, Object> transactional = new HashMap<>(alice);
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sasl-plain-txn");
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap("SASL"), transactional)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.commitTransaction();
        }
        // read_committed sees the records only once the commit marker, written through the broker's
        // own SASL/PLAIN connection to its inter-broker listener, is in the log.
        Map<String, Object> readCommitted = new HashMap<>(alice);
        readCommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap("SASL"), readCommitted)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertEquals(5, Clients.pollUntil(consumer, partition, 6).size());
        }
    }

    @Test
    void saslOverTlsWithTheUsersOfSaslJaasConfig() {
        produceAndConsume("SASLSSL", plain("SASL_SSL", "bob", "bob-secret"), "sasl-ssl-topic");
    }

    @Test
    void aWrongPasswordFailsAuthentication() {
        try (Admin admin = Clients.admin(bootstrap("SASL"), plain("SASL_PLAINTEXT", "alice", "wrong"))) {
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.describeCluster().nodes()));
            assertInstanceOf(SaslAuthenticationException.class, failed.getCause(), failed.toString());
            assertTrue(failed.getCause().getMessage().contains("Invalid username or password"), failed.toString());
        }
        // A user of the other listener's configuration is unknown here.
        try (Admin admin = Clients.admin(bootstrap("SASL"), plain("SASL_PLAINTEXT", "bob", "bob-secret"))) {
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.describeCluster().nodes()));
            assertInstanceOf(SaslAuthenticationException.class, failed.getCause(), failed.toString());
        }
    }

    @Test
    void aRequestBeforeAuthenticationClosesTheConnection() {
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port("SASL"))) {
            assertEquals(1, raw.version(ApiKeys.SASL_HANDSHAKE));
            assertEquals(2, raw.version(ApiKeys.SASL_AUTHENTICATE));
            raw.sendOnly(new MetadataRequestData(), (short) 12);
            assertTrue(raw.closedByBroker(Duration.ofSeconds(10)));
        }
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("SASL"))) {
            raw.sendOnly(new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000), (short) 9);
            assertTrue(raw.closedByBroker(Duration.ofSeconds(10)));
        }
        // The broker and other clients carry on.
        produceAndConsume("SASL", plain("SASL_PLAINTEXT", "admin", "admin-secret"), "after-bad-client");
    }

    @Test
    void aGarbageTokenIsAnsweredWithAnErrorAndTheConnectionCloses() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("SASL"))) {
            SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) raw.send(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1).data();
            assertEquals(Errors.NONE.code(), handshake.errorCode());
            assertEquals(List.of("PLAIN"), handshake.mechanisms());
            SaslAuthenticateResponseData answer = (SaslAuthenticateResponseData) raw.send(
                    new SaslAuthenticateRequestData().setAuthBytes("garbage".getBytes(StandardCharsets.UTF_8)),
                    (short) 2).data();
            assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), answer.errorCode());
            assertTrue(answer.errorMessage().startsWith("Invalid SASL/PLAIN token"), answer.errorMessage());
            assertTrue(raw.closedByBroker(Duration.ofSeconds(10)));
        }
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("SASL"))) {
            SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) raw.send(
                    new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-256"), (short) 1).data();
            assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), handshake.errorCode());
        }
    }

    @Test
    void theVersionZeroHandshakeTakesABareToken() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("SASL"))) {
            SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) raw.send(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 0).data();
            assertEquals(Errors.NONE.code(), handshake.errorCode());
            raw.sendFrame(java.nio.ByteBuffer.wrap("\u0000alice\u0000alice-secret".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, raw.readFrame().remaining());
            ApiVersionsResponseData versions = (ApiVersionsResponseData) raw.send(
                    new org.apache.kafka.common.message.ApiVersionsRequestData().setClientSoftwareName("millrace-it")
                            .setClientSoftwareVersion("1"), (short) 3).data();
            assertEquals(Errors.NONE.code(), versions.errorCode());
            raw.send(new MetadataRequestData(), (short) 12); // served once authenticated
        }
    }

    private static Map<String, Object> oauthBearer(String loginOptions) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT", SaslConfigs.SASL_MECHANISM,
                "OAUTHBEARER", SaslConfigs.SASL_JAAS_CONFIG, OAUTH_MODULE + " " + loginOptions + ";");
    }

    @Test
    void oauthBearerWithUnsecuredTokensOfTheRequiredScope() {
        // kafka-clients' default OAUTHBEARER login makes unsecured tokens from these options.
        produceAndConsume("OAUTH", oauthBearer("unsecuredLoginStringClaim_sub=\"olivia\" "
                + "unsecuredLoginListClaim_scope=\",kafka,other\""), "oauth-topic");
        try (Admin admin = Clients.admin(bootstrap("OAUTH"), oauthBearer(
                "unsecuredLoginStringClaim_sub=\"olivia\" unsecuredLoginListClaim_scope=\",other\""))) {
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.describeCluster().nodes()));
            assertInstanceOf(SaslAuthenticationException.class, failed.getCause(), failed.toString());
        }
    }

    @Test
    void anOauthBearerSessionEndsWithItsToken() {
        long nowSeconds = System.currentTimeMillis() / 1000;
        String claims = "{\"sub\":\"raw\",\"exp\":" + (nowSeconds + 30) + ",\"scope\":\"kafka\"}";
        String token = base64Url("{\"alg\":\"none\"}") + "." + base64Url(claims) + ".";
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("OAUTH"))) {
            raw.send(new SaslHandshakeRequestData().setMechanism("OAUTHBEARER"), (short) 1);
            SaslAuthenticateResponseData answer = (SaslAuthenticateResponseData) raw.send(
                    new SaslAuthenticateRequestData().setAuthBytes(("n,,\u0001auth=Bearer " + token + "\u0001\u0001")
                            .getBytes(StandardCharsets.UTF_8)), (short) 2).data();
            assertEquals(Errors.NONE.code(), answer.errorCode());
            // no connections.max.reauth.ms here: the token's expiry alone bounds the session
            assertTrue(answer.sessionLifetimeMs() > 20_000 && answer.sessionLifetimeMs() <= 30_000,
                    "lifetime " + answer.sessionLifetimeMs());
            raw.send(new MetadataRequestData(), (short) 12);
        }
        String expired = base64Url("{\"alg\":\"none\"}") + "." + base64Url("{\"sub\":\"raw\",\"exp\":"
                + (nowSeconds - 60) + ",\"scope\":\"kafka\"}") + ".";
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("OAUTH"))) {
            raw.send(new SaslHandshakeRequestData().setMechanism("OAUTHBEARER"), (short) 1);
            SaslAuthenticateResponseData challenge = (SaslAuthenticateResponseData) raw.send(
                    new SaslAuthenticateRequestData().setAuthBytes(("n,,\u0001auth=Bearer " + expired
                            + "\u0001\u0001").getBytes(StandardCharsets.UTF_8)), (short) 2).data();
            assertEquals(Errors.NONE.code(), challenge.errorCode());
            assertEquals("{\"status\":\"invalid_token\"}", new String(challenge.authBytes(), StandardCharsets.UTF_8));
            SaslAuthenticateResponseData failed = (SaslAuthenticateResponseData) raw.send(
                    new SaslAuthenticateRequestData().setAuthBytes(new byte[] {1}), (short) 2).data();
            assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), failed.errorCode());
            assertTrue(raw.closedByBroker(Duration.ofSeconds(10)));
        }
    }

    private static String base64Url(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSaslListenerOnThePlaintextPortGetsIllegalSaslState() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("PLAINTEXT"))) {
            SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) raw.send(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1).data();
            assertEquals(Errors.ILLEGAL_SASL_STATE.code(), handshake.errorCode());
        }
    }

    @Test
    void kcatAuthenticatesWithPlain() throws Exception {
        Kcat kcat = Kcat.find(tempDir);
        org.junit.jupiter.api.Assumptions.assumeTrue(kcat != null, "kcat not installed: SaslPlainIT.kcatAuthenticatesWithPlain skipped");
        String topic = "kcat-sasl";
        try (Admin admin = Clients.admin(bootstrap("SASL"), plain("SASL_PLAINTEXT", "admin", "admin-secret"))) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        List<String> common = List.of("-b", bootstrap("SASL"), "-X", "security.protocol=SASL_PLAINTEXT",
                "-X", "sasl.mechanisms=PLAIN", "-X", "sasl.username=alice", "-X", "sasl.password=alice-secret");
        List<String> produce = new java.util.ArrayList<>(common);
        produce.addAll(List.of("-P", "-t", topic));
        Kcat.Result produced = kcat.run("one\ntwo\n", produce.toArray(String[]::new));
        assertEquals(0, produced.exitCode(), produced.toString());
        List<String> consume = new java.util.ArrayList<>(common);
        consume.addAll(List.of("-C", "-t", topic, "-e", "-o", "beginning"));
        Kcat.Result consumed = kcat.run("", consume.toArray(String[]::new));
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(List.of("one", "two"), consumed.lines());
    }

    @Test
    void kcatAuthenticatesWithPlainOverTls() throws Exception {
        Kcat kcat = Kcat.find(tempDir);
        if (kcat == null) {
            System.out.println("kcat not installed: SaslPlainIT.kcatAuthenticatesWithPlainOverTls skipped");
        }
        Assumptions.assumeTrue(kcat != null, "kcat not installed");
        String topic = "kcat-sasl-ssl";
        try (Admin admin = Clients.admin(bootstrap("PLAINTEXT"))) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        List<String> common = List.of("-b", bootstrap("SASLSSL"), "-X", "security.protocol=SASL_SSL",
                "-X", "ssl.ca.location=" + brokerCertPem, "-X", "sasl.mechanisms=PLAIN",
                "-X", "sasl.username=bob", "-X", "sasl.password=bob-secret");
        List<String> produce = new java.util.ArrayList<>(common);
        produce.addAll(List.of("-P", "-t", topic));
        Kcat.Result produced = kcat.run("one\ntwo\n", produce.toArray(String[]::new));
        assertEquals(0, produced.exitCode(), produced.toString());
        List<String> consume = new java.util.ArrayList<>(common);
        consume.addAll(List.of("-C", "-t", topic, "-e", "-o", "beginning"));
        Kcat.Result consumed = kcat.run("", consume.toArray(String[]::new));
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(List.of("one", "two"), consumed.lines());
    }

    @Test
    void unusableSaslSettingsStopStartUpWithOneLine() {
        Map<String, String> props = new HashMap<>(Map.of("node.id", "1", "log.dirs", tempDir.resolve("never").toString(),
                "listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0"));
        ConfigException e = assertThrows(ConfigException.class, () -> new Broker(BrokerConfig.fromProperties(props)));
        assertEquals("sasl.enabled.mechanisms is [GSSAPI] for listener SASL_PLAINTEXT: Millrace supports only PLAIN, "
                + "SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER yet",
                e.getMessage());
        props.put("sasl.enabled.mechanisms", "PLAIN");
        e = assertThrows(ConfigException.class, () -> new Broker(BrokerConfig.fromProperties(props)));
        assertEquals("Listener SASL_PLAINTEXT uses SASL/PLAIN but neither "
                + "listener.name.sasl_plaintext.plain.sasl.jaas.config nor sasl.jaas.config is set", e.getMessage());
    }
}
