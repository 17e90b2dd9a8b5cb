package io.millrace.server.coordinator;

import io.millrace.coordinator.txn.TransactionMarkers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;

/** Builds WriteTxnMarkers requests and reads their responses (the generated message classes). Stateless. */
final class MarkerRequests {
    private MarkerRequests() {
    }

    static WritableTxnMarker marker(TransactionMarkers markers, List<TopicPartition> partitions, int coordinatorEpoch) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        List<WritableTxnMarkerTopic> topics = new ArrayList<>();
        byTopic.forEach((topic, indexes) -> topics.add(new WritableTxnMarkerTopic().setName(topic)
                .setPartitionIndexes(indexes)));
        return new WritableTxnMarker().setProducerId(markers.producerId()).setProducerEpoch(markers.producerEpoch())
                .setTransactionResult(markers.commit()).setTopics(topics).setCoordinatorEpoch(coordinatorEpoch);
    }

    /** The partitions a response says were written. */
    static Set<TopicPartition> written(WriteTxnMarkersResponseData response) {
        Set<TopicPartition> written = new HashSet<>();
        response.markers().forEach(marker -> marker.topics().forEach(topic -> topic.partitions().forEach(p -> {
            if (p.errorCode() == Errors.NONE.code()) {
                written.add(new TopicPartition(topic.name(), p.partitionIndex()));
            }
        })));
        return written;
    }
}
