package io.millrace.metadata.controller;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.RemoveTopicRecord;
import io.millrace.metadata.records.TopicRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * Turns topic commands into records: validation and replica placement (over the active
 * brokers, see {@link ReplicaPlacement}). Pure functions of the image they are given; run on
 * the controller thread.
 */
final class TopicCommands {
    private final ControllerSettings settings;
    private final TopicConfigValidator validator;

    TopicCommands(ControllerSettings settings, TopicConfigValidator validator) {
        this.settings = settings;
        this.validator = validator;
    }

    CommandResult<List<CreateTopicResult>> createTopics(MetadataImage image, List<TopicSpec> specs,
                                                        boolean validateOnly) {
        List<MetadataRecord> records = new ArrayList<>();
        List<CreateTopicResult> results = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TopicSpec spec : specs) {
            List<MetadataRecord> topicRecords = new ArrayList<>();
            CreateTopicResult result = createTopic(image, spec, seen, topicRecords);
            results.add(result);
            if (result.error().isSuccess()) {
                seen.add(spec.name());
                records.addAll(topicRecords);
            }
        }
        return new CommandResult<>(validateOnly ? List.of() : records, results);
    }

    private CreateTopicResult createTopic(MetadataImage image, TopicSpec spec, Set<String> seen,
                                          List<MetadataRecord> out) {
        String name = spec.name();
        String illegal = TopicNames.whyIllegal(name);
        if (illegal != null) {
            return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_TOPIC_EXCEPTION, illegal));
        }
        if (image.topic(name).isPresent() || seen.contains(name)) {
            return CreateTopicResult.failed(name, ApiError.of(Errors.TOPIC_ALREADY_EXISTS,
                    "Topic '" + name + "' already exists."));
        }
        String unified = TopicNames.unifyCollisionChars(name);
        for (TopicImage existing : image.topics()) {
            if (TopicNames.unifyCollisionChars(existing.name()).equals(unified)) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_TOPIC_EXCEPTION,
                        "Topic '" + name + "' collides with existing topic: " + existing.name()));
            }
        }
        for (Map.Entry<String, String> config : spec.configs().entrySet()) {
            String why = validator.check(config.getKey(), config.getValue());
            if (why != null) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_CONFIG, why));
            }
        }
        List<Integer> brokers = image.activeBrokerIds();
        List<List<Integer>> assignment;
        if (!spec.assignments().isEmpty()) {
            if (spec.numPartitions() != -1 || spec.replicationFactor() != -1) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_REQUEST,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. "
                                + "Both cannot be used at the same time."));
            }
            assignment = new ArrayList<>();
            for (int p = 0; p < spec.assignments().size(); p++) {
                List<Integer> replicas = spec.assignments().get(p);
                if (replicas == null) {
                    return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT,
                            "Partitions should be numbered 0 to " + (spec.assignments().size() - 1)));
                }
                ApiError bad = checkReplicas(replicas, image.brokers().keySet());
                if (bad != null) {
                    return CreateTopicResult.failed(name, bad);
                }
                assignment.add(replicas);
            }
        } else {
            int partitions = spec.numPartitions() == -1 ? settings.defaultPartitions() : spec.numPartitions();
            short rf = spec.replicationFactor() == -1 ? settings.defaultReplicationFactor() : spec.replicationFactor();
            if (partitions <= 0) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_PARTITIONS,
                        "Number of partitions must be larger than 0."));
            }
            if (rf <= 0) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0."));
            }
            if (rf > brokers.size()) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_REPLICATION_FACTOR,
                        "Unable to replicate the partition " + rf + " time(s): The target replication factor of "
                                + rf + " cannot be reached because only " + brokers.size()
                                + " broker(s) are registered."));
            }
            assignment = ReplicaPlacement.place(image, brokers, 0, partitions, rf, randomStart(brokers));
        }
        Uuid topicId = Uuid.randomUuid();
        out.add(new TopicRecord(name, topicId));
        for (int p = 0; p < assignment.size(); p++) {
            out.add(newPartition(topicId, p, assignment.get(p)));
        }
        spec.configs().forEach((k, v) -> out.add(new ConfigRecord(ConfigRecord.TOPIC, name, k, v)));
        return new CreateTopicResult(name, ApiError.NONE, topicId, assignment.size(),
                (short) assignment.get(0).size());
    }

    CommandResult<ApiError> createPartitions(MetadataImage image, String topic, int totalCount,
                                             List<List<Integer>> assignments, boolean validateOnly) {
        TopicImage existing = image.topic(topic).orElse(null);
        if (existing == null) {
            return new CommandResult<>(List.of(), ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "The topic '" + topic + "' does not exist."));
        }
        int current = existing.partitionCount();
        if (totalCount < current) {
            return new CommandResult<>(List.of(), ApiError.of(Errors.INVALID_PARTITIONS,
                    "Topic currently has " + current + " partitions, which is higher than the requested "
                            + totalCount + "."));
        }
        if (totalCount == current) {
            return new CommandResult<>(List.of(), ApiError.of(Errors.INVALID_PARTITIONS,
                    "Topic already has " + current + " partitions."));
        }
        List<Integer> brokers = image.activeBrokerIds();
        int rf = existing.partitions().firstEntry().getValue().replicas().size();
        List<List<Integer>> placed;
        if (assignments != null && !assignments.isEmpty()) {
            if (assignments.size() != totalCount - current) {
                return new CommandResult<>(List.of(), ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "Increasing the number of partitions by " + (totalCount - current) + " but "
                                + assignments.size() + " assignments provided."));
            }
            for (List<Integer> replicas : assignments) {
                ApiError bad = checkReplicas(replicas, image.brokers().keySet());
                if (bad != null) {
                    return new CommandResult<>(List.of(), bad);
                }
            }
            placed = assignments;
        } else {
            if (rf > brokers.size()) {
                return new CommandResult<>(List.of(), ApiError.of(Errors.INVALID_REPLICATION_FACTOR,
                        "Unable to replicate the partition " + rf + " time(s) with " + brokers.size()
                                + " broker(s) registered."));
            }
            placed = ReplicaPlacement.place(image, brokers, current, totalCount - current, rf, randomStart(brokers));
        }
        List<MetadataRecord> records = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            records.add(newPartition(existing.topicId(), current + i, placed.get(i)));
        }
        return new CommandResult<>(validateOnly ? List.of() : records, ApiError.NONE);
    }

    private static ApiError checkReplicas(List<Integer> replicas, Collection<Integer> brokers) {
        if (replicas.isEmpty()) {
            return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "Replica assignment is empty");
        }
        if (new HashSet<>(replicas).size() != replicas.size()) {
            return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "Duplicate brokers in replica assignment " + replicas);
        }
        for (int b : replicas) {
            if (!brokers.contains(b)) {
                return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "Broker " + b + " in replica assignment " + replicas + " is not registered");
            }
        }
        return null;
    }

    private static int randomStart(List<Integer> brokers) {
        return ThreadLocalRandom.current().nextInt(brokers.size());
    }

    /** Deletes the topics with these ids; the error of each, in order. */
    CommandResult<io.millrace.metadata.controller.command.Errors> deleteTopics(MetadataImage image, List<Uuid> topicIds) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ApiError> results = new ArrayList<>();
        for (Uuid id : topicIds) {
            if (image.topic(id).isEmpty()) {
                results.add(ApiError.of(Errors.UNKNOWN_TOPIC_ID, "No topic with id " + id));
                continue;
            }
            if (!records.contains(new RemoveTopicRecord(id))) {
                records.add(new RemoveTopicRecord(id));
            }
            results.add(ApiError.NONE);
        }
        return new CommandResult<>(records, new io.millrace.metadata.controller.command.Errors(results));
    }

    private static PartitionRecord newPartition(Uuid topicId, int partition, List<Integer> replicas) {
        return new PartitionRecord(topicId, partition, replicas, replicas, replicas.get(0), 0, 0);
    }
}
