package io.millrace.cli;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code millrace server}: reads the configuration, starts a broker and serves until the process
 * is told to stop (SIGTERM, SIGINT), then shuts the broker down cleanly.
 *
 * <p>Threads: the calling (main) thread starts the broker and waits for it to stop; a shutdown
 * hook thread, {@code millrace-shutdown}, stops it. A bad configuration or a failed start is
 * reported as one line on {@code err} with exit code 1.
 */
final class ServerCommand {

    static final int OK = 0;
    static final int FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    private final RunningBroker.Factory factory;
    private final Consumer<Thread> shutdownHooks;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    /** Set when start-up failed and the broker was already closed: the hook has nothing to do. */
    private final AtomicBoolean abandoned = new AtomicBoolean();

    /**
     * @param factory       creates the broker
     * @param shutdownHooks registers the thread to run when the process is told to stop
     *                      ({@code Runtime.getRuntime()::addShutdownHook} outside tests)
     */
    ServerCommand(RunningBroker.Factory factory, Consumer<Thread> shutdownHooks) {
        this.factory = factory;
        this.shutdownHooks = shutdownHooks;
    }

    /** Runs the server; returns the process exit code once the broker has stopped. */
    int run(ServerArgs args, PrintStream err) {
        BrokerConfig config;
        try {
            Map<String, String> props = MetricsDefault.apply(ServerProperties.load(args.config(), args.overrides()));
            config = BrokerConfig.fromProperties(props);
        } catch (NoSuchFileException e) {
            err.println("millrace: config file not found: " + e.getFile());
            return FAILED;
        } catch (IOException | IllegalArgumentException e) {
            // Properties.load throws IllegalArgumentException on a malformed \\u escape.
            err.println("millrace: cannot read config file " + args.config() + ": " + e.getMessage());
            return FAILED;
        } catch (ConfigException e) {
            err.println("millrace: " + e.getMessage());
            return FAILED;
        }
        return serve(config, err);
    }

    /** True once the shutdown hook has begun; the JVM is then exiting by itself. */
    boolean stopRequested() {
        return stopRequested.get();
    }

    private int serve(BrokerConfig config, PrintStream err) {
        RunningBroker broker;
        try {
            broker = factory.create(config);
        } catch (Exception e) {
            err.println("millrace: cannot create the broker: " + describe(e));
            return FAILED;
        }
        shutdownHooks.accept(new Thread(() -> stop(broker), "millrace-shutdown"));
        try {
            broker.start();
        } catch (Exception e) {
            err.println("millrace: failed to start: " + describe(e));
            LOG.debug("Start-up failure", e);
            abandoned.set(true);
            quietly(broker);
            return FAILED;
        }
        try {
            broker.awaitShutdown();
            return OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            quietly(broker);
            return FAILED;
        } catch (Exception e) {
            err.println("millrace: " + describe(e));
            return FAILED;
        }
    }

    private void stop(RunningBroker broker) {
        if (abandoned.get()) {
            return;
        }
        stopRequested.set(true);
        LOG.info("Stop requested, shutting down");
        try {
            broker.shutdown();
            LOG.info("Millrace shut down cleanly");
        } catch (Exception e) {
            LOG.error("Shutdown failed: {}", describe(e), e);
        }
    }

    private static void quietly(RunningBroker broker) {
        try {
            broker.shutdown();
        } catch (Exception e) {
            LOG.debug("Shutdown after a failed start also failed", e);
        }
    }

    /** The exception's message followed by its causes' messages: one line, no stack trace. */
    static String describe(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (line.indexOf(message) < 0) {
                if (!line.isEmpty()) {
                    line.append(": ");
                }
                line.append(message);
            }
        }
        return line.toString().replace('\n', ' ');
    }
}
