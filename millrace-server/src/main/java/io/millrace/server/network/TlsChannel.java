package io.millrace.server.network;

import io.millrace.wire.batch.FileRegion;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A blocking TLS connection over a socket, driven by the JDK's {@link SSLEngine}: reads decrypt,
 * writes encrypt, and {@link #handshake()} runs the handshake before the first request.
 *
 * <p>Record batches of a fetch cannot go to a TLS socket with sendfile: {@link #writeRegion}
 * reads them from the segment file into a direct buffer and encrypts them from there.
 *
 * <p>Buffers: {@code netIn} holds ciphertext read but not yet decrypted and {@code appIn}
 * plaintext decrypted but not yet read, both in read mode between calls; {@code netOut} holds
 * ciphertext to send. Not thread-safe: one connection thread reads and writes; {@link #close}
 * alone may be called from another thread (it closes the socket, which wakes a blocked call).
 */
final class TlsChannel implements ByteChannel, GatheringByteChannel {
    /** Records wrapped before a socket write: fewer system calls for large responses. */
    private static final int RECORDS_PER_WRITE = 4;
    private static final int REGION_CHUNK_BYTES = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private ByteBuffer regionChunk;
    private boolean inboundDone;

    TlsChannel(SocketChannel socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocateDirect(session.getPacketBufferSize()).flip();
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocateDirect(session.getPacketBufferSize() * RECORDS_PER_WRITE);
    }

    /**
     * Runs the TLS handshake to its end, blocking.
     *
     * @throws SSLException when the peer is not speaking TLS or the handshake fails (a bad
     *                      certificate, no common protocol or cipher suite, a missing client certificate)
     */
    void handshake() throws IOException {
        try {
            runHandshake();
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /** Sends the alert a failed handshake left in the engine, so the client learns why (best effort). */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            netOut.clear();
            while (!engine.isOutboundDone()) {
                SSLEngineResult result = engine.wrap(EMPTY, netOut);
                if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED
                        || result.bytesProduced() == 0) {
                    break;
                }
            }
            flush();
        } catch (IOException | RuntimeException e) {
            // the peer is gone or the engine has nothing to send: the connection closes anyway
        }
    }

    private void runHandshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrapAndFlush(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrap() < 0) {
                        throw new EOFException("the peer closed the connection during the TLS handshake");
                    }
                }
                case NEED_TASK -> runTasks();
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    SSLSession session() {
        return engine.getSession();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (!appIn.hasRemaining()) {
            if (inboundDone || unwrap() < 0) {
                return -1;
            }
        }
        int n = Math.min(dst.remaining(), appIn.remaining());
        dst.put(appIn.slice(appIn.position(), n));
        appIn.position(appIn.position() + n);
        return n;
    }

    /**
     * Decrypts one record into {@code appIn} (reading from the socket as needed) and answers any
     * handshake message it carries; -1 when the peer closed the connection or the TLS session.
     */
    private int unwrap() throws IOException {
        while (true) {
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (result.getStatus()) {
                case OK -> {
                    afterEngineCall(result.getHandshakeStatus());
                    if (result.bytesProduced() > 0 || result.bytesConsumed() > 0
                            || result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
                        return result.bytesProduced();
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    if (readFromSocket() < 0) {
                        return -1;
                    }
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
                case CLOSED -> {
                    inboundDone = true;
                    return -1;
                }
            }
        }
    }

    private int readFromSocket() throws IOException {
        int packetSize = engine.getSession().getPacketBufferSize();
        if (netIn.capacity() < packetSize) {
            netIn = grow(netIn, packetSize, true);
        }
        netIn.compact();
        try {
            return socket.read(netIn);
        } finally {
            netIn.flip();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int before = src.remaining();
        wrapAndFlush(src);
        return before - src.remaining();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long before = remaining(srcs, offset, length);
        do {
            wrap(srcs, offset, length);
            flush();
        } while (remaining(srcs, offset, length) > 0);
        return before;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Encrypts {@code region}'s bytes, read from its file in chunks, and sends them. */
    void writeRegion(FileRegion region) throws IOException {
        if (regionChunk == null) {
            regionChunk = ByteBuffer.allocateDirect(REGION_CHUNK_BYTES);
        }
        long at = region.position();
        long end = at + region.size();
        while (at < end) {
            regionChunk.clear().limit((int) Math.min(REGION_CHUNK_BYTES, end - at));
            int n = region.channel().read(regionChunk, at);
            if (n < 0) {
                throw new EOFException("File region ended at " + at + ", expected up to " + end);
            }
            at += n;
            regionChunk.flip();
            wrapAndFlush(regionChunk);
        }
    }

    private void wrapAndFlush(ByteBuffer src) throws IOException {
        ByteBuffer[] one = {src};
        do {
            wrap(one, 0, 1);
            flush();
        } while (src.hasRemaining());
    }

    /** Wraps records into {@code netOut} while it has room for one more (at least one record). */
    private void wrap(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int packetSize = engine.getSession().getPacketBufferSize();
        do {
            SSLEngineResult result = engine.wrap(srcs, offset, length, netOut);
            switch (result.getStatus()) {
                case OK -> afterEngineCall(result.getHandshakeStatus());
                case BUFFER_OVERFLOW -> {
                    if (netOut.position() > 0) {
                        return; // flush first
                    }
                    netOut = grow(netOut, packetSize, false);
                }
                case CLOSED -> throw new SSLException("The TLS session is closed");
                case BUFFER_UNDERFLOW -> throw new IllegalStateException("wrap cannot underflow");
            }
        } while (remaining(srcs, offset, length) > 0 && netOut.remaining() >= packetSize);
    }

    private void flush() throws IOException {
        netOut.flip();
        try {
            while (netOut.hasRemaining()) {
                if (socket.write(netOut) < 0) {
                    throw new ClosedChannelException();
                }
            }
        } finally {
            netOut.clear();
        }
    }

    /** Handles what the engine asks for after a wrap or unwrap outside the handshake loop. */
    private void afterEngineCall(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NEED_TASK) {
            runTasks();
            status = engine.getHandshakeStatus();
        }
        if (status == HandshakeStatus.NEED_WRAP && netOut.position() == 0) {
            // A post-handshake message (TLS 1.3 session ticket, key update) to send now.
            SSLEngineResult result = engine.wrap(EMPTY, netOut);
            flush();
            afterEngineCall(result.getHandshakeStatus());
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** A larger buffer with {@code buffer}'s content; {@code readMode}: content is position..limit. */
    private static ByteBuffer grow(ByteBuffer buffer, int atLeast, boolean readMode) {
        int capacity = Math.max(atLeast, buffer.capacity() * 2);
        ByteBuffer larger = buffer.isDirect() ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        if (!readMode) {
            buffer.flip();
        }
        larger.put(buffer);
        return readMode ? larger.flip() : larger;
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        return total;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the socket without a close_notify: Kafka clients do not wait for one. Any thread. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
