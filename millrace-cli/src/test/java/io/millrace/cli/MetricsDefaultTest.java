package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsDefaultTest {

    @Test
    void aSingleNodeServesMetricsOnTheFixedPort() {
        assertEquals("127.0.0.1:9404", MetricsDefault.apply(Map.of("node.id", "1")).get("millrace.metrics.listener"));
    }

    @Test
    void aClusterNodeServesNoneUnlessItsConfigurationSaysSo() {
        assertFalse(MetricsDefault.apply(Map.of("controller.quorum.voters", "1@h:9093,2@h:9094"))
                .containsKey("millrace.metrics.listener"));
        assertEquals("127.0.0.1:0", MetricsDefault.apply(Map.of("controller.quorum.voters", "1@h:9093",
                "millrace.metrics.listener", "127.0.0.1:0")).get("millrace.metrics.listener"));
    }

    @Test
    void anExplicitValueWinsAndEmptyTurnsItOff() {
        assertEquals("0.0.0.0:9100", MetricsDefault.apply(Map.of("millrace.metrics.listener", "0.0.0.0:9100"))
                .get("millrace.metrics.listener"));
        assertEquals("", MetricsDefault.apply(Map.of("millrace.metrics.listener", "")).get("millrace.metrics.listener"));
    }
}
