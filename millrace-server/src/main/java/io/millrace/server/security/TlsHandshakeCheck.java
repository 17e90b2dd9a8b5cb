package io.millrace.server.security;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Runs a TLS handshake in memory between a client engine and a server engine, as Kafka checks a
 * key store or trust store update of the inter-broker listener: the other brokers still hold the
 * old stores, so the old and the new must accept each other in both directions. Stateless.
 */
final class TlsHandshakeCheck {
    private static final int MAX_STEPS = 1000;

    private TlsHandshakeCheck() {
    }

    /** Null when each of {@code a} and {@code b} accepts the other as client and as server, else why not. */
    static String check(ServerTls a, ServerTls b) {
        try {
            handshake(a.newClientEngine(), b.newServerEngine(null));
            handshake(b.newClientEngine(), a.newServerEngine(null));
            return null;
        } catch (SSLException e) {
            return "a TLS handshake between the current and the new stores fails: " + e.getMessage();
        }
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int appSize = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer app = ByteBuffer.allocate(appSize);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < MAX_STEPS; step++) {
            boolean clientDone = done(client);
            boolean serverDone = done(server);
            if (clientDone && serverDone) {
                return;
            }
            advance(client, toServer, toClient, app, empty);
            advance(server, toClient, toServer, app, empty);
        }
        throw new SSLException("the handshake did not finish");
    }

    /** One step of {@code engine}: writes into {@code out}, reads from {@code in}, runs its tasks. */
    private static void advance(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app, ByteBuffer empty)
            throws SSLException {
        HandshakeStatus status = engine.getHandshakeStatus();
        switch (status) {
            case NEED_WRAP -> {
                SSLEngineResult result = engine.wrap(empty, out);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("the engine closed during the handshake");
                }
            }
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                app.clear();
                SSLEngineResult result = engine.unwrap(in, app);
                in.compact();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("the engine closed during the handshake");
                }
            }
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            default -> {
            }
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING;
    }
}
