package io.millrace.cli.client;

import io.millrace.console.Console;
import io.millrace.console.ConsoleOptions;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code millrace console}: the web console (millrace-console) against any Kafka-compatible
 * cluster, until Ctrl-C. Threads: the calling thread waits; a shutdown hook closes the console.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Serve the web console (cluster, topics, messages, consumer groups with lag plots, throughput) "
                + "for the cluster at --bootstrap-server, until Ctrl-C.")
final class ConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9080",
            description = "Where the console listens (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--enable-actions",
            description = "Offer create/delete topic and reset offsets (through the Admin API, so the cluster's ACLs apply).")
    boolean actions;

    @Option(names = "--sample-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "How often the lag and throughput history is sampled (default: ${DEFAULT-VALUE}); an hour is kept.")
    double sampleSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> props = new HashMap<>();
        connection.clientProperties().forEach((k, v) -> props.put((String) k, v));
        ConsoleOptions options;
        try {
            options = new ConsoleOptions(props, ConsoleOptions.parseListen(listen), actions,
                    Duration.ofMillis((long) (sampleSeconds * 1000)), ConsoleOptions.DEFAULT_HISTORY);
        } catch (IllegalArgumentException e) {
            throw new CliException("--listen or --sample-interval: " + e.getMessage());
        }
        Console console;
        try {
            console = Console.start(options);
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "millrace-console-shutdown"));
        spec.commandLine().getOut().println("Millrace console on http://" + console.hostPort() + "/ for "
                + connection.bootstrapServer + (actions ? " (actions enabled)" : " (read-only)") + "; Ctrl-C stops it.");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
