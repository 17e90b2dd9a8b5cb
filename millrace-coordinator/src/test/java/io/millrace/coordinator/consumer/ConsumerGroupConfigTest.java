package io.millrace.coordinator.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerGroupConfigTest {

    @Test
    void readsTheBrokerKeys() {
        ConsumerGroupConfig config = ConsumerGroupConfig.from(BrokerConfig.fromProperties(Map.of(
                "group.consumer.session.timeout.ms", "6000",
                "group.consumer.heartbeat.interval.ms", "300",
                "group.consumer.assignors", "range, org.apache.kafka.coordinator.group.assignor.UniformAssignor")));

        assertEquals(6000, config.sessionTimeoutMs());
        assertEquals(300, config.heartbeatIntervalMs());
        assertEquals("range", config.defaultAssignor().name());
        assertEquals(2, config.assignors().size());
    }

    @Test
    void defaultsAreKafkas() {
        ConsumerGroupConfig config = ConsumerGroupConfig.from(BrokerConfig.defaults());

        assertEquals(ConsumerGroupConfig.defaults(), config);
    }

    @Test
    void unknownAssignorsAreAConfigurationError() {
        assertThrows(ConfigException.class, () -> ConsumerGroupConfig.from(BrokerConfig.fromProperties(Map.of(
                "group.consumer.assignors", "org.example.MyAssignor"))));
    }
}
