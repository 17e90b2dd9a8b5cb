package io.millrace.server.handlers;

import static io.millrace.server.handlers.ClusterFixture.context;
import static io.millrace.server.handlers.ClusterFixture.endpoint;
import static io.millrace.server.handlers.ClusterFixture.partition;
import static io.millrace.server.handlers.ClusterFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.millrace.common.Time;
import io.millrace.common.config.BrokerConfig;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.group.GroupTypeConfigs;
import io.millrace.coordinator.runtime.BatchProducer;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.TransactionMarker;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.coordinator.CoordinatorTopic;
import io.millrace.server.coordinator.CoordinatorTopicSpec;
import io.millrace.server.lifecycle.LiveBrokers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FindCoordinatorHandlerTest {
    private static final int PARTITIONS = 3;

    private final ClusterFixture cluster = new ClusterFixture()
            .broker(1, false, endpoint("PLAINTEXT", "host-1", 9001))
            .broker(2, false, endpoint("PLAINTEXT", "host-2", 9002));
    private final GroupCoordinatorService coordinator = new GroupCoordinatorService(
            GroupCoordinatorConfig.from(BrokerConfig.fromProperties(Map.of("offsets.topic.num.partitions",
                    String.valueOf(PARTITIONS)))),
            new CoordinatorLog() {
                @Override
                public Appended append(int partition, BatchProducer producer, List<CoordinatorRecord> records) {
                    return new Appended(0, CompletableFuture.completedFuture(null));
                }

                @Override
                public Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch,
                                                           int coordinatorEpoch, TransactionMarker marker) {
                    throw new UnsupportedOperationException("no transactions here");
                }


                @Override
                public void readAll(int partition, RecordSink sink) {
                }
            },
            new TopicsView() {
                @Override
                public Optional<TopicInfo> byName(String name) {
                    return Optional.empty();
                }

                @Override
                public Optional<TopicInfo> byId(Uuid id) {
                    return Optional.empty();
                }

                @Override
                public Collection<TopicInfo> all() {
                    return List.of();
                }
            }, Time.SYSTEM, GroupTypeConfigs.defaults());

    @AfterEach
    void close() {
        coordinator.close();
    }

    private FindCoordinatorResponseData find(int version, List<String> groups) throws Exception {
        CoordinatorTopic offsetsTopic = new CoordinatorTopic(CoordinatorTopicSpec.consumerOffsets(BrokerConfig.defaults(), false),
                5, cluster, cluster, coordinator);
        FindCoordinatorHandler handler = new FindCoordinatorHandler(
                new LiveBrokers(ClusterFixture.identity(5, 9005), () -> 1), cluster, offsetsTopic);
        FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKeyType((byte) 0);
        if (version >= 4) {
            request.setCoordinatorKeys(groups);
        } else {
            request.setKey(groups.get(0));
        }
        FindCoordinatorResponseData response = handler.handle(context(ApiKeys.FIND_COORDINATOR, version), request).get();
        write(response, version);
        return response;
    }

    @Test
    void answersTheLeaderOfTheGroupsPartitionAtItsRegisteredEndpoint() throws Exception {
        int[] leaders = {1, 2, -1};
        List<PartitionRecord> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(partition(p, leaders[p], List.of(1, 2), List.of(1, 2)));
        }
        cluster.topic(CoordinatorTopicSpec.CONSUMER_OFFSETS, partitions.toArray(PartitionRecord[]::new));
        List<String> groups = new ArrayList<>();
        for (int p = 0; groups.size() < PARTITIONS; p++) {
            String group = "group-" + p;
            if (coordinator.partitionFor(group) == groups.size()) {
                groups.add(group);
            }
        }
        List<Coordinator> answers = find(6, groups).coordinators();
        assertEquals(List.of(1, 2, -1), answers.stream().map(Coordinator::nodeId).toList());
        assertEquals("host-2", answers.get(1).host());
        assertEquals(9002, answers.get(1).port());
        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), answers.get(2).errorCode());
        FindCoordinatorResponseData v0 = find(0, List.of(groups.get(0)));
        assertEquals(1, v0.nodeId());
        assertEquals("host-1", v0.host());
    }
}
