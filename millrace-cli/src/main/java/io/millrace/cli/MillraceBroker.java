package io.millrace.cli;

import io.millrace.common.config.BrokerConfig;
import io.millrace.console.Console;
import io.millrace.server.Broker;
import java.util.Optional;

/**
 * The one place the launcher touches the server module: {@link Broker} behind {@link RunningBroker},
 * with the web console beside it when configured ({@link BrokerConsole}).
 */
final class MillraceBroker implements RunningBroker {

    private final BrokerConfig config;
    private final Broker broker;
    private volatile Optional<Console> console = Optional.empty();

    MillraceBroker(BrokerConfig config) {
        this.config = config;
        this.broker = new Broker(config);
    }

    @Override
    public void start() throws Exception {
        broker.start();
        console = BrokerConsole.start(config, broker::boundPort);
    }

    @Override
    public void shutdown() throws Exception {
        console.ifPresent(Console::close);
        broker.shutdown();
    }

    @Override
    public void awaitShutdown() throws Exception {
        broker.awaitShutdown();
    }
}
