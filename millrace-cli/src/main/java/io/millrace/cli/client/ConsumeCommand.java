package io.millrace.cli.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace consume TOPIC}: records printed with a kcat-style format. Without a group it
 * assigns the partitions itself and starts where {@code --from} says; with {@code --group} it
 * joins that consumer group (committing as it goes) and {@code --from} applies only where the
 * group has no committed offset. It stops after {@code -n} records, or, without
 * {@code --follow}, once it has read up to the end offsets the partitions had when it started.
 */
@Command(name = "consume", description = "Print records of a topic.", mixinStandardHelpOptions = true)
final class ConsumeCommand extends ClientCommand {
    @Parameters(paramLabel = "TOPIC")
    String topic;
    @Option(names = "--from", paramLabel = "beginning|end|offset:N|timestamp:MS", defaultValue = "beginning",
            description = "Where to start (default: ${DEFAULT-VALUE}); with --group, only where nothing is committed.")
    String from;
    @Option(names = {"--group", "-g"}, description = "Read as a member of this consumer group.")
    String group;
    @Option(names = {"--partition", "-p"}, description = "Only this partition (not with --group).")
    Integer partition;
    @Option(names = {"--count", "-n"}, description = "Stop after N records.")
    Long count;
    @Option(names = {"--follow", "-F"}, description = "Keep waiting for new records (until -n or Ctrl-C).")
    boolean follow;
    @Option(names = {"--format", "-f"}, defaultValue = "%s\\n",
            description = "kcat's format: %%s value, %%k key, %%t topic, %%p partition, %%o offset, %%T timestamp, %%h headers (default: '%%s\\n').")
    String formatString;
    @Option(names = {"--consumer-property", "-X"}, paramLabel = "KEY=VALUE", description = "Any consumer setting, repeatable.")
    Map<String, String> consumerProperties = new HashMap<>();
    @Option(names = "--progress", negatable = true, description = "Show a progress line on stderr (default: when stderr is a terminal and -n is given).")
    Boolean progress;

    @Override
    public Integer call() {
        if (group != null && partition != null) {
            throw new CliException("--partition and --group do not go together: a group assigns partitions itself");
        }
        Properties props = connection.clientProperties();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from.equals("end") ? "latest" : "earliest");
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        } else {
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        }
        props.putAll(consumerProperties);
        RecordFormat format = new RecordFormat(formatString);
        Progress bar = new Progress(err(), "records", count == null ? 0 : count,
                progress != null ? progress : count != null && Progress.terminal());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(WAIT_SECONDS));
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                consumer.assign(partitions);
                seek(consumer, partitions, ends);
            }
            long printed = 0;
            while (count == null || printed < count) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    out().print(format.format(record));
                    bar.add(1);
                    if (count != null && ++printed >= count) {
                        break;
                    }
                }
                out().flush();
                if (!follow && count == null && caughtUp(consumer, ends)) {
                    break;
                }
            }
            if (group != null) {
                consumer.commitSync(Duration.ofSeconds(WAIT_SECONDS));
            }
        }
        bar.finish();
        return 0;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(WAIT_SECONDS));
        if (infos == null || infos.isEmpty()) {
            throw new CliException("topic " + topic + " does not exist on " + connection.bootstrapServer);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            if (partition == null || info.partition() == partition) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        if (partitions.isEmpty()) {
            throw new CliException("topic " + topic + " has no partition " + partition);
        }
        return partitions;
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                      Map<TopicPartition, Long> ends) {
        if (from.equals("beginning")) {
            consumer.seekToBeginning(partitions);
        } else if (from.equals("end")) {
            consumer.seekToEnd(partitions);
        } else if (from.startsWith("offset:")) {
            long offset = parse(from.substring("offset:".length()));
            partitions.forEach(tp -> consumer.seek(tp, offset >= 0 ? offset : Math.max(0, ends.get(tp) + offset)));
        } else if (from.startsWith("timestamp:")) {
            long timestamp = parse(from.substring("timestamp:".length()));
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, timestamp));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(WAIT_SECONDS));
            partitions.forEach(tp -> consumer.seek(tp, found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
        } else {
            throw new CliException("--from takes beginning, end, offset:N (N < 0 counts back from the end) or timestamp:MS, not " + from);
        }
    }

    private static long parse(String number) {
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new CliException("not a number: " + number);
        }
    }

    /** Every assigned partition read up to its end offset at the start (none assigned yet: not caught up). */
    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        for (TopicPartition tp : assigned) {
            if (consumer.position(tp, Duration.ofSeconds(WAIT_SECONDS)) < ends.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }
}
