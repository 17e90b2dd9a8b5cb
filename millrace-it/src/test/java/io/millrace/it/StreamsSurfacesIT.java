package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a running broker tells clients about streams groups (StreamsSurfaces): StreamsGroupHeartbeat
 * and StreamsGroupDescribe are advertised exactly when {@code streams.version} is finalized at 1;
 * StreamsGroupTopologyDescriptionUpdate is not served, so no heartbeat may ask for a topology
 * description (a 4.4 client would then send it and fail).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamsSurfacesIT {
    @TempDir
    Path dataDir;

    @Test
    void streamsGroupsAreAdvertisedWithTheirFeatureAndNeverAskForATopologyDescription() throws Exception {
        // the first assignment at once, as Kafka's own heartbeat tests do (the delay has unit tests)
        try (InProcessBroker broker = InProcessBroker.start(dataDir,
                Map.of("group.streams.initial.rebalance.delay.ms", "0"));
             Admin admin = Clients.admin(broker.bootstrap());
             RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) raw.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("it").setClientSoftwareVersion("1"), (short) 3).data();
            var heartbeat = versions.apiKeys().find(ApiKeys.STREAMS_GROUP_HEARTBEAT.id);
            var describe = versions.apiKeys().find(ApiKeys.STREAMS_GROUP_DESCRIBE.id);
            var feature = versions.finalizedFeatures().find("streams.version");
            assertEquals(heartbeat != null, feature != null, "streams.version is finalized iff the APIs are served");
            assertEquals(heartbeat != null, describe != null);
            if (heartbeat == null) {
                return;
            }
            assertEquals(1, feature.maxVersionLevel());
            assertEquals(1, versions.supportedFeatures().find("streams.version").maxVersion());
            assertEquals(1, heartbeat.maxVersion(), "the versions served are those written here");
            assertNull(versions.apiKeys().find(ApiKeys.STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE.id));

            Clients.get(admin.createTopics(List.of(new NewTopic("surface-in", 1, (short) 1))).all());
            StreamsGroupHeartbeatRequestData join = new StreamsGroupHeartbeatRequestData().setGroupId("surface")
                    .setMemberId("m1").setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setProcessId("p1")
                    .setTopology(new StreamsGroupHeartbeatRequestData.Topology().setEpoch(0).setSubtopologies(List.of(
                            new StreamsGroupHeartbeatRequestData.Subtopology().setSubtopologyId("0")
                                    .setSourceTopics(List.of("surface-in")))))
                    .setActiveTasks(List.of()).setStandbyTasks(List.of()).setWarmupTasks(List.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) { // the first ask creates __consumer_offsets
                var found = (org.apache.kafka.common.message.FindCoordinatorResponseData) raw.send(
                        new org.apache.kafka.common.message.FindCoordinatorRequestData().setKeyType((byte) 0)
                                .setCoordinatorKeys(List.of("surface")), (short) 4).data();
                if (found.coordinators().get(0).errorCode() == Errors.NONE.code()) {
                    break;
                }
                Thread.sleep(100);
            }
            StreamsGroupHeartbeatResponseData response = null;
            while (System.nanoTime() < deadline) { // the partition may still be loading
                response = (StreamsGroupHeartbeatResponseData) raw.send(join, (short) 1).data();
                if (response.errorCode() == Errors.NONE.code()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertNotNull(response);
            assertEquals(Errors.NONE.code(), response.errorCode(), response.toString());
            assertFalse(response.topologyDescriptionRequired());
            assertEquals(1, response.activeTasks().stream().mapToInt(t -> t.partitions().size()).sum());
        }
    }
}
