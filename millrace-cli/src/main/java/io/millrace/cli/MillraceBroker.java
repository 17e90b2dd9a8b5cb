package io.millrace.cli;

import io.millrace.common.config.BrokerConfig;
import io.millrace.server.Broker;

/** The one place the launcher touches the server module: {@link Broker} behind {@link RunningBroker}. */
final class MillraceBroker implements RunningBroker {

    private final Broker broker;

    MillraceBroker(BrokerConfig config) {
        this.broker = new Broker(config);
    }

    @Override
    public void start() throws Exception {
        broker.start();
    }

    @Override
    public void shutdown() throws Exception {
        broker.shutdown();
    }

    @Override
    public void awaitShutdown() throws Exception {
        broker.awaitShutdown();
    }
}
