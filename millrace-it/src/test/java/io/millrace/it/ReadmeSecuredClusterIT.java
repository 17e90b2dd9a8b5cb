package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.tools.AclCommand;
import org.apache.kafka.tools.ConfigCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's done-when: the README's "Three secured nodes" started as written (host1's
 * {@code server.properties}, and for host2 and host3 what the README says differs: node.id, the host
 * in the listeners, the key store), three broker processes on this machine with each hostN:port
 * mapped to 127.0.0.1 and a free port, and the test's own key stores (CN=host1..3 and CN=admin,
 * one trust store for all) in place of /etc/millrace. The administrator's kafka-configs and
 * kafka-acls lines run as written over INTERNAL with the admin certificate; then alice, with the
 * README's {@code client.properties}, creates, produces (acks=all, RF 3, ISR 3 over mutual TLS) and
 * consumes in her group with kafka-clients and kcat over SASL_SSL with SCRAM-SHA-256; a SCRAM user
 * without ACLs, a wrong password, TLS without SASL, plaintext, and a client without a certificate on
 * INTERNAL are refused, and mallory's denial is logged to {@code kafka.authorizer.logger}. One change to the README's properties: 3 offsets-topic partitions instead of
 * Kafka's default 50, for speed. Three broker JVMs: 40-150 s, by the machine's load.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReadmeSecuredClusterIT {
    private static final String SECTION = "### Three secured nodes";
    private static final String CLIENT_SECTION = "### A secured node, step by step";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int NODES = 3;

    @TempDir
    Path tempDir;
    @RegisterExtension
    final BrokerLogOnFailure logs = new BrokerLogOnFailure();

    @Test
    void theReadmesThreeSecuredNodesServeScramOverTlsOnlyWithAclsEnforced() throws Exception {
        Properties host1 = propertiesBlocks(SECTION, 1).get(0);
        Properties clientBlock = propertiesBlocks(CLIENT_SECTION, 2).get(1);
        TestCertificates certs = TestCertificates.in(tempDir.resolve("certs"));
        // four keytool runs at once (each a JVM start)
        Map<String, CompletableFuture<Path>> made = new TreeMap<>();
        for (String name : List.of("host1", "host2", "host3", "admin")) {
            made.put(name, CompletableFuture.supplyAsync(() -> {
                try {
                    return certs.keyStore(name, "CN=" + name);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("keytool for " + name, e);
                }
            }));
        }
        Map<Integer, Path> keyStores = new TreeMap<>();
        for (int n = 1; n <= NODES; n++) {
            keyStores.put(n, made.get("host" + n).get(60, TimeUnit.SECONDS));
        }
        Path adminKeys = made.get("admin").get(60, TimeUnit.SECONDS);
        Path trust = certs.trustStore("cluster-trust", keyStores.get(1), keyStores.get(2), keyStores.get(3), adminKeys);
        Map<Integer, Map<Integer, Integer>> ports = new TreeMap<>(); // node -> README port -> free port
        for (int n = 1; n <= NODES; n++) {
            ports.put(n, Map.of(9092, FreePorts.next(), 9091, FreePorts.next(), 9093, FreePorts.next()));
        }

        List<BrokerProcess> nodes = new ArrayList<>();
        try {
            for (int n = 1; n <= NODES; n++) {
                Map<String, String> props = nodeProperties(host1, n, ports, keyStores.get(n), trust);
                Path data = tempDir.resolve("node-" + n);
                BrokerProcess node = BrokerProcess.unstarted(data, Path.of("target", "broker-logs",
                        "readme-secured-cluster-node-" + n + ".log"), props, ports.get(n).get(9092),
                        BrokerProcess.testJvmOptions());
                nodes.add(node);
            }
            nodes.forEach(logs::watch);
            nodes.forEach(BrokerProcess::spawn);

            // admin.properties as the README describes it: SSL with the admin certificate, on INTERNAL
            Path adminProperties = tempDir.resolve("admin.properties");
            Files.writeString(adminProperties, String.join("\n", "security.protocol=SSL",
                    "ssl.keystore.type=PKCS12", "ssl.keystore.location=" + adminKeys,
                    "ssl.keystore.password=" + TestCertificates.PASSWORD, "ssl.key.password=" + TestCertificates.PASSWORD,
                    "ssl.truststore.type=PKCS12", "ssl.truststore.location=" + trust,
                    "ssl.truststore.password=" + TestCertificates.PASSWORD) + "\n");
            Map<String, Object> adminConfig = load(adminProperties);
            String internal = "127.0.0.1:" + ports.get(1).get(9091);
            try (Admin admin = Clients.admin(internal, adminConfig)) {
                // Every node's own view: a node lists itself before it has registered, so one node's
                // answer alone can show three while the controller has registered only two.
                Await.until("the three nodes are registered", WAIT, () -> {
                    nodes.forEach(ReadmeSecuredClusterIT::failIfExited);
                    for (int n = 1; n <= NODES; n++) {
                        try (Admin view = Clients.admin("127.0.0.1:" + ports.get(n).get(9091), adminConfig)) {
                            if (view.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() != NODES) {
                                return false;
                            }
                        } catch (Exception e) {
                            return false;
                        }
                    }
                    return true;
                });
                // The README's administrator lines, as written (host1:9091 is INTERNAL).
                runTool(ConfigCommand.class, internal, "--command-config", adminProperties.toString(), "--alter",
                        "--entity-type", "users", "--entity-name", "alice", "--add-config",
                        "SCRAM-SHA-256=[iterations=8192,password=alice-secret]");
                runTool(AclCommand.class, internal, "--command-config", adminProperties.toString(), "--add",
                        "--allow-principal", "User:alice", "--operation", "All", "--topic", "orders", "--group", "orders-app");
                runTool(ConfigCommand.class, internal, "--command-config", adminProperties.toString(), "--alter",
                        "--entity-type", "users", "--entity-name", "mallory", "--add-config",
                        "SCRAM-SHA-256=[iterations=8192,password=mallory-secret]");

                // alice, with the README's client.properties and the three nodes' SASL_SSL listeners
                Map<String, Object> alice = new HashMap<>();
                clientBlock.forEach((k, v) -> alice.put((String) k, ((String) v)
                        .replace("/etc/millrace/truststore.p12", trust.toString())
                        .replace("trust-secret", TestCertificates.PASSWORD)));
                String bootstrap = ports.values().stream().map(p -> "127.0.0.1:" + p.get(9092))
                        .collect(Collectors.joining(","));
                // Credentials and ACLs are metadata records each node applies on its own, a moment
                // apart: wait until every node authenticates mallory, whose credential was written
                // last (so alice's and her ACL are applied there too), before alice uses any node.
                Map<String, Object> mallory = asMallory(alice);
                Await.until("every node knows the new credentials", WAIT, () -> {
                    for (int n = 1; n <= NODES; n++) {
                        // the admin's first request, Metadata, goes to its one bootstrap node
                        try (Admin view = Clients.admin("127.0.0.1:" + ports.get(n).get(9092), mallory)) {
                            view.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            return false;
                        }
                    }
                    return true;
                });
                try (Admin asAlice = Clients.admin(bootstrap, alice)) {
                    // kafka-topics.sh --create --topic orders --partitions 3: default.replication.factor=3
                    Clients.get(asAlice.createTopics(List.of(new NewTopic("orders", Optional.of(3), Optional.empty())))
                            .all());
                }
                try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, alice)) {
                    for (int i = 0; i < 30; i++) {
                        producer.send(new ProducerRecord<>("orders", "k" + i, "v" + i));
                    }
                    producer.flush();
                }
                Await.until("every partition of orders is on three in-sync replicas", WAIT, () ->
                        Clients.get(admin.describeTopics(List.of("orders")).allTopicNames()).get("orders").partitions()
                                .stream().allMatch(p -> p.replicas().size() == NODES && p.isr().size() == NODES));
                Map<String, Object> member = new HashMap<>(alice);
                member.put("group.id", "orders-app");
                member.put("auto.offset.reset", "earliest");
                try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, member)) {
                    consumer.subscribe(List.of("orders"));
                    List<ConsumerRecord<String, String>> read = new ArrayList<>();
                    Await.until("alice's group reads the 30 records", WAIT, () -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                        return read.size() >= 30;
                    });
                    consumer.commitSync();
                    assertEquals(30, read.size());
                }
                kcatAsAlice(certs, keyStores, bootstrap);
                refusals(alice, bootstrap, "127.0.0.1:" + ports.get(1).get(9092), internal, trust);
                // Denials are logged at INFO to kafka.authorizer.logger, in Kafka's words.
                Await.until("a node logs mallory's denial", WAIT, () -> nodes.stream().anyMatch(node -> {
                    try {
                        return Files.readString(node.logFile()).contains("Principal = User:mallory is Denied operation"
                                + " = DESCRIBE from host = 127.0.0.1 on resource = Topic:LITERAL:orders for request = Metadata");
                    } catch (IOException e) {
                        return false;
                    }
                }));
                TopicDescription orders = Clients.get(admin.describeTopics(List.of("orders")).allTopicNames()).get("orders");
                assertEquals(3, orders.partitions().size());
            }
        } finally {
            nodes.forEach(BrokerProcess::close);
        }
    }

    /** host1's properties made host {@code n}'s, then every hostK:port the README names mapped to 127.0.0.1 and a free port. */
    private Map<String, String> nodeProperties(Properties host1, int n, Map<Integer, Map<Integer, Integer>> ports,
                                               Path keyStore, Path trust) {
        Map<String, String> props = new HashMap<>();
        host1.forEach((k, v) -> {
            String key = (String) k;
            String value = (String) v;
            if (key.equals("node.id")) {
                value = String.valueOf(n);
            } else if (key.equals("listeners") || key.equals("advertised.listeners")) {
                value = value.replace("host1:", "host" + n + ":");
            }
            for (int host = 1; host <= NODES; host++) {
                for (Map.Entry<Integer, Integer> port : ports.get(host).entrySet()) {
                    value = value.replace("host" + host + ":" + port.getKey(), "127.0.0.1:" + port.getValue());
                }
            }
            props.put(key, value.replace("/var/lib/millrace", tempDir.resolve("node-" + n).toAbsolutePath().toString())
                    .replace("/etc/millrace/host1.p12", keyStore.toString())
                    .replace("/etc/millrace/cluster-trust.p12", trust.toString())
                    .replace("host1-secret", TestCertificates.PASSWORD)
                    .replace("trust-secret", TestCertificates.PASSWORD));
        });
        // Not the README's: Kafka's default of 50 offsets partitions (150 logs over three nodes) only slows the test.
        props.put("offsets.topic.num.partitions", "3");
        for (String key : List.of("listeners", "advertised.listeners", "controller.quorum.voters")) {
            assertFalse(props.get(key).contains("host"), key + " still names a host: " + props.get(key));
        }
        assertTrue(props.get("super.users").contains("User:CN=host" + n), props.get("super.users"));
        return props;
    }

    private void kcatAsAlice(TestCertificates certs, Map<Integer, Path> keyStores, String bootstrap) throws Exception {
        Kcat kcat = Kcat.find(tempDir);
        if (kcat == null) {
            System.out.println("ReadmeSecuredClusterIT: kcat not installed, its part skipped");
            return;
        }
        StringBuilder ca = new StringBuilder(); // the three nodes' certificates (the README's ca.pem)
        for (Map.Entry<Integer, Path> store : keyStores.entrySet()) {
            ca.append(Files.readString(certs.certificatePem("host" + store.getKey(), store.getValue())));
        }
        Path caPem = Files.writeString(tempDir.resolve("ca.pem"), ca);
        List<String> common = List.of("-b", bootstrap, "-X", "security.protocol=SASL_SSL", "-X",
                "ssl.ca.location=" + caPem, "-X", "sasl.mechanisms=SCRAM-SHA-256", "-X", "sasl.username=alice",
                "-X", "sasl.password=alice-secret");
        List<String> produce = new ArrayList<>(common);
        produce.addAll(List.of("-P", "-t", "orders", "-p", "0"));
        Kcat.Result produced = kcat.run("from-kcat-1\nfrom-kcat-2\n", produce.toArray(String[]::new));
        assertEquals(0, produced.exitCode(), produced.toString());
        List<String> consume = new ArrayList<>(common);
        consume.addAll(List.of("-C", "-t", "orders", "-e", "-o", "beginning"));
        Kcat.Result consumed = kcat.run("", consume.toArray(String[]::new));
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(32, consumed.lines().size(), consumed.toString());
        assertTrue(consumed.lines().containsAll(List.of("from-kcat-1", "from-kcat-2", "v0", "v29")), consumed.toString());
        List<String> wrong = new ArrayList<>(common);
        wrong.set(wrong.indexOf("sasl.password=alice-secret"), "sasl.password=wrong");
        wrong.addAll(List.of("-L"));
        Kcat.Result refused = kcat.run("", wrong.toArray(String[]::new));
        assertTrue(refused.exitCode() != 0, refused.toString());
    }

    private static void refusals(Map<String, Object> alice, String bootstrap, String oneSaslSsl, String internal,
                                 Path trust) throws Exception {
        Map<String, Object> mallory = asMallory(alice);
        mallory.put("max.block.ms", "10000");
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, mallory)) {
            ExecutionException denied = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("orders", "k", "denied")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, denied.getCause());
        }
        Map<String, Object> wrongPassword = new HashMap<>(alice);
        wrongPassword.put("sasl.jaas.config", ((String) alice.get("sasl.jaas.config")).replace("alice-secret", "wrong"));
        assertInstanceOf(SaslAuthenticationException.class, describeClusterFailure(bootstrap, wrongPassword));
        Map<String, Object> tlsOnly = new HashMap<>(alice);
        tlsOnly.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        tlsOnly.remove("sasl.jaas.config");
        tlsOnly.remove("sasl.mechanism");
        CompletableFuture<Throwable> plaintext = CompletableFuture.supplyAsync(() -> describeClusterFailure(oneSaslSsl,
                Map.of()));
        assertInstanceOf(TimeoutException.class, describeClusterFailure(oneSaslSsl, tlsOnly),
                "a TLS client without SASL is never served");
        assertInstanceOf(TimeoutException.class, plaintext.get(60, TimeUnit.SECONDS),
                "a plaintext client is never served");
        Map<String, Object> noCertificate = new HashMap<>();
        noCertificate.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        noCertificate.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        noCertificate.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.toString());
        noCertificate.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        assertInstanceOf(SslAuthenticationException.class, describeClusterFailure(internal, noCertificate),
                "INTERNAL requires a client certificate");
    }

    /** alice's client settings with mallory's SCRAM login (the README's second user). */
    private static Map<String, Object> asMallory(Map<String, Object> alice) {
        Map<String, Object> mallory = new HashMap<>(alice);
        mallory.put("sasl.jaas.config", ((String) alice.get("sasl.jaas.config")).replace("alice", "mallory"));
        return mallory;
    }

    private static Throwable describeClusterFailure(String bootstrap, Map<String, Object> config) {
        Map<String, Object> quick = new HashMap<>(config);
        quick.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        quick.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Clients.admin(bootstrap, quick)) {
            return assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).getCause();
        }
    }

    private static void runTool(Class<?> tool, String bootstrap, String... args) throws Exception {
        KafkaToolRun run = KafkaToolRun.run(tool, bootstrap, args);
        assertEquals(0, run.exitCode(), run.toString());
    }

    private static void failIfExited(BrokerProcess node) {
        if (!node.isAlive()) {
            throw new AssertionError("A node exited while starting; its log:\n" + node.logTail(60));
        }
    }

    private static Map<String, Object> load(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        Map<String, Object> map = new HashMap<>();
        properties.forEach((k, v) -> map.put((String) k, v));
        return map;
    }

    /** The {@code properties} code blocks of one README section, in order; {@code expected} of them. */
    private static List<Properties> propertiesBlocks(String heading, int expected) throws IOException {
        String text = Files.readString(Path.of("..", "README.md"));
        int start = text.indexOf(heading);
        assertTrue(start >= 0, "the README has the section " + heading);
        int end = text.indexOf("\n### ", start + heading.length());
        String section = text.substring(start, end < 0 ? text.length() : end);
        List<Properties> blocks = new ArrayList<>();
        int at = 0;
        while ((at = section.indexOf("```properties\n", at)) >= 0) {
            int close = section.indexOf("```", at + 14);
            Properties block = new Properties();
            block.load(new StringReader(section.substring(at + 14, close)));
            blocks.add(block);
            at = close + 3;
        }
        assertEquals(expected, blocks.size(), "properties blocks in " + heading);
        return blocks;
    }
}
