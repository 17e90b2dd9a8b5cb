package io.millrace.server.handlers;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListPartitionReassignments (KIP-455): the reassignments under way, read from this node's
 * metadata image: every reassigning partition when the topic list is null, else the reassigning
 * ones among those asked for (unknown topics and partitions, and partitions not being reassigned,
 * are left out, as Kafka's controller does). Each carries its full replica set and the replicas
 * being added and removed. Thread-safe; holds no mutable state.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler<ListPartitionReassignmentsRequestData> {
    private final MetadataView metadata;

    public ListPartitionReassignmentsHandler(MetadataView metadata) {
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ListPartitionReassignmentsResponseData> handle(
            RequestContext context, ListPartitionReassignmentsRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        MetadataImage image = metadata.image();
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData()
                .setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        if (request.topics() == null) {
            image.topics().stream().sorted(Comparator.comparing(TopicImage::name))
                    .forEach(topic -> addTopic(response, topic, new ArrayList<>(topic.partitions().keySet())));
        } else {
            for (ListPartitionReassignmentsTopics wanted : request.topics()) {
                image.topic(wanted.name()).ifPresent(topic -> addTopic(response, topic,
                        wanted.partitionIndexes().stream().distinct().toList()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static void addTopic(ListPartitionReassignmentsResponseData response, TopicImage topic,
                                 List<Integer> partitions) {
        List<OngoingPartitionReassignment> ongoing = new ArrayList<>();
        for (int index : partitions) {
            PartitionRecord p = topic.partitions().get(index);
            if (p != null && p.isReassigning()) {
                ongoing.add(new OngoingPartitionReassignment().setPartitionIndex(index)
                        .setReplicas(new ArrayList<>(p.replicas()))
                        .setAddingReplicas(new ArrayList<>(p.addingReplicas()))
                        .setRemovingReplicas(new ArrayList<>(p.removingReplicas())));
            }
        }
        if (!ongoing.isEmpty()) {
            response.topics().add(new OngoingTopicReassignment().setName(topic.name()).setPartitions(ongoing));
        }
    }
}
