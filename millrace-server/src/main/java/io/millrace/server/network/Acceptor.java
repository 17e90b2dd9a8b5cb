package io.millrace.server.network;

import io.millrace.common.config.Endpoint;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one listener, on its own platform thread ("acceptor-NAME"), and hands
 * each to the server. Ends when the server socket is closed.
 */
final class Acceptor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);
    /** Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin. */
    private static final long ACCEPT_RETRY_PAUSE_MS = 100;

    private final Endpoint endpoint;
    private final ServerSocketChannel serverChannel;
    private final SocketServer server;
    private final Thread thread;

    Acceptor(Endpoint endpoint, ServerSocketChannel serverChannel, SocketServer server) {
        this.endpoint = endpoint;
        this.serverChannel = serverChannel;
        this.server = server;
        this.thread = Thread.ofPlatform().name("acceptor-" + endpoint.listenerName()).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        long failedInARow = 0;
        while (true) {
            SocketChannel channel;
            try {
                channel = serverChannel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!serverChannel.isOpen()) {
                    return;
                }
                // Once per streak (a process out of file descriptors fails every 100 ms until some close).
                if (failedInARow++ == 0) {
                    log.warn("Listener {} cannot accept connections: {}; retrying every {} ms, not logged again "
                            + "until it accepts", endpoint, e.toString(), ACCEPT_RETRY_PAUSE_MS);
                } else {
                    log.debug("Listener {} still cannot accept: {}", endpoint, e.toString());
                }
                try {
                    Thread.sleep(ACCEPT_RETRY_PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            if (failedInARow > 0) {
                log.info("Listener {} accepts connections again after {} failed attempts", endpoint, failedInARow);
                failedInARow = 0;
            }
            server.accepted(endpoint.listenerName(), channel);
        }
    }

    /** Stops accepting and waits for the thread to end. */
    void close() throws InterruptedException {
        try {
            serverChannel.close();
        } catch (IOException e) {
            log.debug("Error closing listener {}: {}", endpoint, e.toString());
        }
        thread.interrupt();
        thread.join();
    }
}
