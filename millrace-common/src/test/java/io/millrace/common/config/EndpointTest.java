package io.millrace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void parsesNamesHostsAndPorts() {
        List<Endpoint> endpoints = Endpoint.parseList("listeners",
                "plaintext://:9092, CONTROLLER://localhost:9093,EXTERNAL://[::1]:9094,INTERNAL://10.0.0.1:0");
        assertEquals(List.of(
                new Endpoint("PLAINTEXT", "", 9092),
                new Endpoint("CONTROLLER", "localhost", 9093),
                new Endpoint("EXTERNAL", "::1", 9094),
                new Endpoint("INTERNAL", "10.0.0.1", 0)), endpoints);
        assertEquals("EXTERNAL://[::1]:9094", endpoints.get(2).toString());
        assertTrue(endpoints.get(0).isWildcard());
    }

    @Test
    void malformedEntriesNameKeyAndValue() {
        for (String bad : List.of("localhost:9092", "PLAINTEXT://host", "PLAINTEXT://host:port",
                "PLAINTEXT://host:70000", "://host:1")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Endpoint.parseList("listeners", bad));
            assertTrue(e.getMessage().contains("listeners") && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
