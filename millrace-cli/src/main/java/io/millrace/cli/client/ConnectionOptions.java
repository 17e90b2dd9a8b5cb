package io.millrace.cli.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Option;

/**
 * Where the cluster is and how to reach it, shared by every client command, named as Apache
 * Kafka's tools name them. Not thread-safe (one per command run).
 */
final class ConnectionOptions {

    @Option(names = {"--bootstrap-server", "-b"}, paramLabel = "HOST:PORT[,...]", defaultValue = "localhost:9092",
            description = "Brokers to connect to (default: ${DEFAULT-VALUE}). Works against Apache Kafka too.")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Client properties (security.protocol, sasl.*, ssl.*, ...) as for Kafka's tools.")
    Path commandConfig;

    /** Client properties: the file's, then bootstrap.servers. */
    Properties clientProperties() {
        Properties props = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                props.load(reader);
            } catch (IOException e) {
                throw new CliException("cannot read --command-config " + commandConfig + ": " + e.getMessage());
            }
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        return props;
    }

    Admin admin() {
        Properties props = clientProperties();
        props.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }
}
