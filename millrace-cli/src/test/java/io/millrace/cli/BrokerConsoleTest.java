package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import io.millrace.console.Console;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerConsoleTest {

    @Test
    void aSingleNodeListensOn9080ByDefaultAndAClusterNot() {
        assertEquals(Optional.of("127.0.0.1:9080"), BrokerConsole.listenAddress(BrokerConfig.fromProperties(Map.of())));
        assertEquals(Optional.of("127.0.0.1:9080"), BrokerConsole.listenAddress(BrokerConfig.fromProperties(Map.of(
                "node.id", "1", "controller.quorum.voters", "1@127.0.0.1:9093",
                "controller.listener.names", "CONTROLLER",
                "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"))));
        assertEquals(Optional.empty(), BrokerConsole.listenAddress(BrokerConfig.fromProperties(Map.of(
                "node.id", "1", "controller.quorum.voters", "1@127.0.0.1:9093,2@127.0.0.1:9094,3@127.0.0.1:9095",
                "controller.listener.names", "CONTROLLER",
                "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"))));
        assertEquals(Optional.empty(), BrokerConsole.listenAddress(
                BrokerConfig.fromProperties(Map.of("millrace.console.listener", ""))));
        assertEquals(Optional.of("0.0.0.0:8080"), BrokerConsole.listenAddress(
                BrokerConfig.fromProperties(Map.of("millrace.console.listener", "0.0.0.0:8080"))));
    }

    @Test
    void anUnusableListenerStopsStartUpWithOneLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> BrokerConfig.fromProperties(Map.of("millrace.console.listener", "localhost")));
        assertTrue(e.getMessage().contains("millrace.console.listener") && e.getMessage().contains("host:port"),
                e.getMessage());
    }

    @Test
    void theConsoleServesBesideTheBrokerOnAnExplicitAddress() throws Exception {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("millrace.console.listener", "127.0.0.1:0"));
        // no broker runs: the console's pages that read the cluster would wait, its own files do not
        try (Console console = BrokerConsole.start(config, listener -> 9).orElseThrow()) {
            HttpResponse<String> css = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + console.hostPort() + "/static/console.css")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, css.statusCode());
            HttpResponse<String> chartJs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + console.hostPort() + "/static/chart.umd.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(chartJs.body().contains("Chart.js"), "Chart.js is served from its webjar");
            HttpResponse<String> action = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + console.hostPort() + "/actions/delete-topic"))
                    .POST(HttpRequest.BodyPublishers.ofString("name=orders")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, action.statusCode(), "read-only unless millrace.console.actions.enable=true");
            HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + console.hostPort() + "/nothing?x=%3Cb%3E")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }
}
