package io.millrace.bench.workload;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens many client connections to a broker and leaves them idle: each connects, sends one
 * ApiVersions request (v0, so the broker has read a request and set up the connection as it does
 * for any client) and reads the answer, then stays open until {@link #close()}. Not thread-safe.
 *
 * <p>Request layout (v0, not flexible): int32 size, int16 api key 18, int16 version 0, int32
 * correlation id, string client id (int16 length, bytes), empty body.
 */
public final class IdleConnections implements AutoCloseable {
    private static final short API_VERSIONS = 18;
    private static final byte[] CLIENT_ID = "bench-idle".getBytes(StandardCharsets.UTF_8);

    /** A broker that stops accepting (out of file descriptors) fails the run instead of hanging it. */
    private static final int TIMEOUT_MS = 30_000;

    private final List<Socket> open = new ArrayList<>();

    /** Opens {@code count} connections to {@code bootstrap} ({@code host:port}), one after another. */
    public static IdleConnections open(String bootstrap, int count) throws IOException {
        String[] hostPort = bootstrap.split(":");
        InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        IdleConnections connections = new IdleConnections();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                connections.open.add(socket);
                socket.connect(address, TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                exchangeApiVersions(socket, i);
            }
        } catch (IOException | RuntimeException e) {
            connections.close();
            throw new IOException("Opened " + connections.open.size() + " of " + count + " connections: " + e, e);
        }
        return connections;
    }

    public int size() {
        return open.size();
    }

    private static void exchangeApiVersions(Socket socket, int correlationId) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + CLIENT_ID.length);
        request.putInt(request.capacity() - 4).putShort(API_VERSIONS).putShort((short) 0).putInt(correlationId)
                .putShort((short) CLIENT_ID.length).put(CLIENT_ID);
        socket.getOutputStream().write(request.array());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        if (ByteBuffer.wrap(response).getInt() != correlationId) {
            throw new IOException("ApiVersions answered with another correlation id");
        }
    }

    @Override
    public void close() {
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        open.clear();
    }
}
