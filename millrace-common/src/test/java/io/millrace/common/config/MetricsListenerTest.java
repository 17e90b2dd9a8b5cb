package io.millrace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsListenerTest {

    @Test
    void unsetOrEmptyMeansNoListener() {
        assertEquals(Optional.empty(), MetricsListener.of(BrokerConfig.fromProperties(Map.of())));
        assertEquals(Optional.empty(), MetricsListener.of(BrokerConfig.fromProperties(
                Map.of("millrace.metrics.listener", ""))));
    }

    @Test
    void hostAndPort() {
        assertEquals(Optional.of(new MetricsListener("127.0.0.1", 9404)), MetricsListener.of(
                BrokerConfig.fromProperties(Map.of("millrace.metrics.listener", "127.0.0.1:9404"))));
        assertEquals(new MetricsListener("::1", 0), MetricsListener.parse("k", "[::1]:0"));
        assertEquals("[::1]:0", MetricsListener.parse("k", "[::1]:0").toString());
        assertEquals(new MetricsListener("0.0.0.0", 9404), MetricsListener.parse("k", " 0.0.0.0:9404 "));
    }

    @Test
    void anUnusableValueStopsStartUpWithOneLineNamingTheKey() {
        for (String bad : new String[] {"9404", "localhost:", ":9404", "localhost:http", "localhost:70000", "::1:9404"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> BrokerConfig.fromProperties(Map.of("millrace.metrics.listener", bad)), bad);
            assertTrue(e.getMessage().contains("millrace.metrics.listener") && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
    }
}
