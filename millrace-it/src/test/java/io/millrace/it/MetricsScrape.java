package io.millrace.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes a node's {@code /metrics} over HTTP, as Prometheus does, and reads samples from
 * Prometheus' text format. Stateless; thread-safe.
 */
final class MetricsScrape {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SERVING = Pattern.compile("Serving Prometheus metrics on http://[^:]+:(\\d+)/metrics");

    private MetricsScrape() {
    }

    /** GET /metrics, with {@code accept} as the Accept header when not null; fails unless 200. */
    static HttpResponse<String> get(int port, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(TIMEOUT);
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    /** The body of a scrape in Prometheus' text format. */
    static String text(int port) throws IOException, InterruptedException {
        return get(port, null).body();
    }

    /** The value of the one sample of {@code name} carrying these label pairs; fails when there is none. */
    static double value(String text, String name, String... labels) {
        return find(text, name, labels).orElseThrow(() -> new AssertionError("no sample " + name + " "
                + List.of(labels) + " in:\n" + text.lines().filter(l -> l.startsWith(name)).toList()));
    }

    /** The value of the sample of {@code name} carrying these label pairs (name, value, name, value...). */
    static OptionalDouble find(String text, String name, String... labels) {
        return text.lines().filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!line.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    /** Polls until the sample equals {@code expected}; fails with the last value seen after {@code timeout}. */
    static void awaitValue(int port, double expected, Duration timeout, String name, String... labels)
            throws IOException, InterruptedException {
        await(port, expected, false, timeout, name, labels);
    }

    /** Polls until the sample is at least {@code least}; fails with the last value seen after {@code timeout}. */
    static void awaitAtLeast(int port, double least, Duration timeout, String name, String... labels)
            throws IOException, InterruptedException {
        await(port, least, true, timeout, name, labels);
    }

    private static void await(int port, double expected, boolean atLeast, Duration timeout, String name,
                              String... labels) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalDouble last = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            last = find(text(port), name, labels);
            if (last.isPresent() && (atLeast ? last.getAsDouble() >= expected : last.getAsDouble() == expected)) {
                return;
            }
            Thread.sleep(100); // a poll interval, not a wait for the condition: the loop checks it
        }
        throw new AssertionError(name + " " + List.of(labels) + " is " + last + " after " + timeout
                + ", expected " + (atLeast ? "at least " : "") + expected);
    }

    /** The port of the node's last start that served /metrics, from its log line. */
    static int portFromLog(Path log) throws IOException {
        Matcher matcher = SERVING.matcher(Files.readString(log));
        int port = -1;
        while (matcher.find()) {
            port = Integer.parseInt(matcher.group(1));
        }
        if (port < 0) {
            throw new AssertionError("no 'Serving Prometheus metrics' line in " + log);
        }
        return port;
    }
}
