package io.millrace.bench.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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

    private final List<SocketChannel> open = new ArrayList<>();

    /** Opens {@code count} connections to {@code bootstrap} ({@code host:port}), one after another. */
    public static IdleConnections open(String bootstrap, int count) throws IOException {
        String[] hostPort = bootstrap.split(":");
        InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        IdleConnections connections = new IdleConnections();
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(address);
                connections.open.add(channel);
                exchangeApiVersions(channel, i);
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

    private static void exchangeApiVersions(SocketChannel channel, int correlationId) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + CLIENT_ID.length);
        request.putInt(request.capacity() - 4).putShort(API_VERSIONS).putShort((short) 0).putInt(correlationId)
                .putShort((short) CLIENT_ID.length).put(CLIENT_ID).flip();
        while (request.hasRemaining()) {
            channel.write(request);
        }
        ByteBuffer size = ByteBuffer.allocate(4);
        readFully(channel, size);
        ByteBuffer response = ByteBuffer.allocate(size.flip().getInt());
        readFully(channel, response);
        if (response.flip().getInt() != correlationId) {
            throw new IOException("ApiVersions answered with another correlation id");
        }
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("The broker closed the connection");
            }
        }
    }

    @Override
    public void close() {
        for (SocketChannel channel : open) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        open.clear();
    }
}
