package io.millrace.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace produce TOPIC}: one record per line of stdin or a file, optionally
 * {@code key<separator>value}, with headers, compression and acks; stops at the first failed
 * send with one line naming the topic and the error.
 */
@Command(name = "produce", description = "Produce lines of stdin (or a file) as records.", mixinStandardHelpOptions = true)
final class ProduceCommand extends ClientCommand {
    @Parameters(paramLabel = "TOPIC")
    String topic;
    @Option(names = {"--file", "-f"}, description = "Read lines from FILE instead of stdin.")
    Path file;
    @Option(names = {"--key-separator", "-K"}, paramLabel = "SEP",
            description = "Each line is KEY SEP VALUE (split at the first SEP); without it lines are values.")
    String keySeparator;
    @Option(names = {"--header", "-H"}, paramLabel = "KEY=VALUE", description = "A header on every record, repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();
    @Option(names = {"--partition", "-p"}, description = "Send every record to this partition.")
    Integer partition;
    @Option(names = {"--compression", "-z"}, paramLabel = "none|gzip|snappy|lz4|zstd", defaultValue = "none")
    String compression;
    @Option(names = "--acks", paramLabel = "0|1|all", defaultValue = "all")
    String acks;
    @Option(names = {"--producer-property", "-X"}, paramLabel = "KEY=VALUE", description = "Any producer setting, repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();
    @Option(names = "--progress", negatable = true, description = "Show a progress line on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        Properties props = connection.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.putAll(producerProperties);
        List<Header> recordHeaders = new ArrayList<>();
        headers.forEach((k, v) -> recordHeaders.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        AtomicReference<Exception> failure = new AtomicReference<>();
        Progress bar = new Progress(err(), "records", 0, progress != null ? progress : Progress.terminal());
        try (BufferedReader in = file != null ? Files.newBufferedReader(file, StandardCharsets.UTF_8)
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            String line;
            while ((line = in.readLine()) != null && failure.get() == null) {
                byte[] key = null;
                String value = line;
                if (keySeparator != null) {
                    int at = line.indexOf(keySeparator);
                    if (at >= 0) {
                        key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                        value = line.substring(at + keySeparator.length());
                    }
                }
                producer.send(new ProducerRecord<>(topic, partition, key, value.getBytes(StandardCharsets.UTF_8),
                        recordHeaders), (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                bar.add(1);
            }
            producer.flush();
        }
        bar.finish();
        Exception e = failure.get();
        if (e != null) {
            throw new CliException("produce to " + topic + " failed: " + e.getMessage() + " ("
                    + e.getClass().getSimpleName() + ", brokers " + connection.bootstrapServer + ")");
        }
        return 0;
    }
}
