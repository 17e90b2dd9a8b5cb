package io.millrace.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.millrace.common.config.BrokerConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterModeTest {

    private static BrokerConfig config(String bootstrap) {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", "1");
        props.put("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("controller.quorum.bootstrap.servers", bootstrap);
        return BrokerConfig.fromProperties(props);
    }

    @Test
    void kafkasStandaloneSampleRunsAsASingleNode() {
        assertInstanceOf(ClusterMode.SingleNode.class, ClusterMode.of(config("localhost:9093")));
    }
}
