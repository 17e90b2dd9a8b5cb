package io.millrace.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.ConfigException;
import io.millrace.common.config.MetricsListener;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BrokerMetricsTest {

    @Test
    void servesOnAFreePortAndStopsOnClose() {
        try (BrokerMetrics metrics = new BrokerMetrics()) {
            assertEquals(Optional.empty(), metrics.port());
            metrics.serve(Optional.of(new MetricsListener("127.0.0.1", 0)));
            assertTrue(metrics.port().orElseThrow() > 0);
            metrics.close();
            assertEquals(Optional.empty(), metrics.port());
        }
    }

    @Test
    void anAddressInUseIsOneLineNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             BrokerMetrics metrics = new BrokerMetrics()) {
            ConfigException e = assertThrows(ConfigException.class, () -> metrics.serve(
                    Optional.of(new MetricsListener("127.0.0.1", taken.getLocalPort()))));
            assertTrue(e.getMessage().startsWith("Invalid value '127.0.0.1:" + taken.getLocalPort()
                    + "' for configuration millrace.metrics.listener: cannot serve metrics there"), e.getMessage());
        }
    }

    @Test
    void servedInTheBackgroundItFailsWithTheSameLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             BrokerMetrics metrics = new BrokerMetrics()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> metrics.serveInBackground(
                    Optional.of(new MetricsListener("127.0.0.1", taken.getLocalPort()))).get(30, TimeUnit.SECONDS));
            assertInstanceOf(ConfigException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("millrace.metrics.listener: cannot serve metrics there"));
        }
    }

    @Test
    void servedInTheBackgroundItBindsAndClosingStopsIt() throws Exception {
        try (BrokerMetrics metrics = new BrokerMetrics()) {
            metrics.serveInBackground(Optional.of(new MetricsListener("127.0.0.1", 0))).get(30, TimeUnit.SECONDS);
            assertTrue(metrics.port().orElseThrow() > 0);
            metrics.close();
            assertEquals(Optional.empty(), metrics.port());
            metrics.serve(Optional.of(new MetricsListener("127.0.0.1", 0))); // a late start after close
            assertEquals(Optional.empty(), metrics.port(), "closed: a listener started late is closed at once");
        }
    }
}
