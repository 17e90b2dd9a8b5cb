package io.millrace.cli;

import io.millrace.common.config.BrokerConfig;

/**
 * What the launcher needs of a broker. The real one is {@link MillraceBroker}; tests use a fake,
 * so the command line can be tested without binding ports or touching disks.
 */
interface RunningBroker {

    /** Binds and serves; throws when the broker cannot start. */
    void start() throws Exception;

    /** Stops serving, flushes and closes; idempotent. */
    void shutdown() throws Exception;

    /** Returns once {@link #shutdown()} has finished. */
    void awaitShutdown() throws Exception;

    /** Creates the broker for a configuration. */
    @FunctionalInterface
    interface Factory {
        RunningBroker create(BrokerConfig config) throws Exception;
    }
}
