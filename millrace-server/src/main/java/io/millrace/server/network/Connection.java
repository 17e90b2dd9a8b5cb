package io.millrace.server.network;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client connection on its own virtual thread ("conn-ID"): reads a frame, has it
 * dispatched, writes the response, then reads the next. One request at a time, so responses
 * leave in request order. On an SSL listener the connection first runs the TLS handshake
 * ({@link TlsChannel}); one that fails (a plaintext client, an untrusted or missing client
 * certificate) closes this connection only, with one line.
 *
 * <p>Lifecycle: created by an acceptor, {@link #start() started} once, ends when the peer
 * disconnects, sends something that is not a request, or {@link #close()} is called (by the
 * server at shutdown, from another thread).
 */
final class Connection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private volatile ConnectionInfo info;
    private final SocketChannel socket;
    /** The socket itself, or the TLS channel over it. */
    private final ByteChannel channel;
    private final GatheringByteChannel out;
    private final TlsChannel tls;
    private final ListenerTls listenerTls;
    /** Null on a listener without SASL; authenticates, then keeps the session (re-authentication, expiry). */
    private final SaslAuthenticator sasl;
    private final RequestDispatcher dispatcher;
    private final FrameReader reader;
    private final SocketServer server;
    private final Thread thread;
    private final InFlightRequest inFlight = new InFlightRequest();
    private volatile boolean closing;
    /** Released by {@link #close()}: ends a throttle's mute early. */
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param listenerTls  the listener's TLS, or null on a plaintext listener
     * @param listenerSasl the listener's SASL, or null when it has none
     */
    Connection(ConnectionInfo info, SocketChannel socket, ListenerTls listenerTls, ListenerSasl listenerSasl,
               RequestDispatcher dispatcher, int maxRequestBytes, SocketServer server) {
        this.info = info;
        this.sasl = listenerSasl == null ? null : new SaslAuthenticator(listenerSasl);
        this.socket = socket;
        this.listenerTls = listenerTls;
        if (listenerTls == null) {
            this.tls = null;
            this.channel = socket;
            this.out = socket;
        } else {
            this.tls = new TlsChannel(socket, listenerTls.newServerEngine(info.peer()));
            this.channel = tls;
            this.out = tls;
        }
        this.dispatcher = dispatcher;
        this.reader = new FrameReader(channel, maxRequestBytes);
        this.server = server;
        this.thread = Thread.ofVirtual().name("conn-" + info.id()).unstarted(this);
    }

    ConnectionInfo info() {
        return info;
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        boolean rejected = false;
        try {
            serve();
        } catch (RejectedRequestException e) {
            rejected = true;
            log.warn("Closing {}: {}", info, e.getMessage());
        } catch (SSLException e) {
            rejected = true;
            log.warn("Closing {}: TLS failed: {}", info, e.getMessage());
        } catch (InterruptedException e) {
            log.debug("Closing {}: the server is shutting down", info);
        } catch (EOFException e) {
            log.debug("Closing {}: the client disconnected in the middle of a request", info);
        } catch (IOException e) {
            if (closing || e instanceof ClosedChannelException) {
                log.debug("Closing {}: the server is shutting down", info);
            } else {
                log.debug("Closing {}: {}", info, e.toString());
            }
        } catch (RuntimeException | Error e) {
            log.warn("Closing {} after an unexpected error", info, e);
        } finally {
            closeChannel();
            server.connectionClosed(this, rejected);
        }
    }

    private void serve() throws IOException, RejectedRequestException, InterruptedException {
        if (tls != null) {
            tls.handshake();
            info = info.withPrincipal(listenerTls.principal(tls.session()));
            log.debug("TLS established on {}: {} {}", info, tls.session().getProtocol(), tls.session().getCipherSuite());
        }
        ByteBuffer frame;
        while ((frame = reader.next()) != null) {
            // The frame buffer is reused for the next request, Produce's too: a produce is
            // appended (written to the segment file) before its response exists, and nothing
            // keeps slices of the frame after that. A handler that did would call reader.detach().
            if (sasl != null) {
                SaslAuthenticator.Step step = sasl.handle(frame, dispatcher, info, inFlight);
                if (step != null) {
                    if (!answerSasl(step)) {
                        return;
                    }
                    continue;
                }
            }
            RequestDispatcher.Outcome outcome = dispatcher.dispatch(frame, info, inFlight);
            if (outcome.response() != null) {
                outcome.response().writeTo(out);
            }
            if (outcome.throttleMs() > 0) {
                mute(outcome.throttleMs());
            }
        }
        log.debug("{} closed by the client", info);
    }

    /**
     * Reads nothing from this connection for {@code throttleMs} (client quotas, KIP-219): the
     * response already left, and the client's next requests wait in the socket meanwhile.
     */
    private void mute(int throttleMs) throws InterruptedException {
        log.trace("Throttling {} for {} ms", info, throttleMs);
        closed.await(throttleMs, TimeUnit.MILLISECONDS);
    }

    /** Writes what a SASL step answered; false when the connection must close. */
    private boolean answerSasl(SaslAuthenticator.Step step) throws IOException {
        if (step.response() != null) {
            step.response().writeTo(out);
        }
        if (step.close()) {
            log.info("Closing {}: {}", info, step.closeReason());
            return false;
        }
        if (sasl.authenticated() && !sasl.principal().equals(info.principal())) {
            info = info.withPrincipal(sasl.principal());
            log.debug("SASL authenticated {}", info);
        }
        return true;
    }

    /**
     * Closes the socket and cancels any handler wait, which wakes the connection's thread;
     * returns at once. The thread is never interrupted (see {@link InFlightRequest}).
     */
    void close() {
        closing = true;
        closeChannel();
        inFlight.cancel();
        closed.countDown();
    }

    /** True when the connection's thread ended within {@code timeout}. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    private void closeChannel() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Error closing {}: {}", info, e.toString());
        }
    }
}
