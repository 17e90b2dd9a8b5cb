package io.millrace.it;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking Kafka-protocol socket for tests that need to see exact answers: requests are
 * kafka-clients' generated {@code *Data} classes framed with a {@link RequestHeader}; responses
 * are parsed with {@link AbstractResponse#parseResponse}. It can also send raw bytes and tell
 * whether the broker closed the connection.
 *
 * <p>Not thread-safe: one request at a time.
 */
public final class RawKafkaConnection implements AutoCloseable {
    private static final String CLIENT_ID = "millrace-it-raw";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<ApiKeys, Short> brokerMinVersions = new EnumMap<>(ApiKeys.class);
    private final Map<ApiKeys, Short> brokerMaxVersions = new EnumMap<>(ApiKeys.class);
    private int nextCorrelationId = 1;

    private RawKafkaConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects without sending anything. */
    public static RawKafkaConnection connect(String host, int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new RawKafkaConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot connect to " + host + ":" + port, e);
        }
    }

    /** Connects and learns the broker's version ranges with an ApiVersions request. */
    public static RawKafkaConnection connectAndNegotiate(String host, int port) {
        RawKafkaConnection connection = connect(host, port);
        try {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) connection.send(
                    new ApiVersionsRequestData().setClientSoftwareName("millrace-it").setClientSoftwareVersion("1"),
                    (short) 3).data();
            if (versions.errorCode() != Errors.NONE.code()) {
                throw new IllegalStateException("ApiVersions failed: " + Errors.forCode(versions.errorCode()));
            }
            for (ApiVersionsResponseData.ApiVersion v : versions.apiKeys()) {
                if (ApiKeys.hasId(v.apiKey())) {
                    connection.brokerMinVersions.put(ApiKeys.forId(v.apiKey()), v.minVersion());
                    connection.brokerMaxVersions.put(ApiKeys.forId(v.apiKey()), v.maxVersion());
                }
            }
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The highest version both the broker and the pinned kafka-clients speak. */
    public short version(ApiKeys key) {
        Short broker = brokerMaxVersions.get(key);
        if (broker == null) {
            throw new IllegalStateException("The broker does not serve " + key + " (or versions were not negotiated)");
        }
        return (short) Math.min(broker, key.latestVersion(false));
    }

    /** The lowest version both the broker and the pinned kafka-clients speak. */
    public short oldestVersion(ApiKeys key) {
        version(key); // fails the same way when the broker does not serve the key
        return (short) Math.max(brokerMinVersions.get(key), key.oldestVersion());
    }

    /** Sends {@code request} at the negotiated version and returns the parsed response. */
    public AbstractResponse send(ApiMessage request) {
        return send(request, version(ApiKeys.forId(request.apiKey())));
    }

    /** Sends {@code request} at {@code version} and returns the parsed response. */
    public AbstractResponse send(ApiMessage request, short version) {
        RequestHeader header = new RequestHeader(ApiKeys.forId(request.apiKey()), version, CLIENT_ID,
                nextCorrelationId++);
        sendFrame(serialize(header, request));
        ByteBuffer response = readFrame();
        return AbstractResponse.parseResponse(response, header);
    }

    /** Sends {@code request} at {@code version} without waiting for an answer (for acks=0). */
    public void sendOnly(ApiMessage request, short version) {
        RequestHeader header = new RequestHeader(ApiKeys.forId(request.apiKey()), version, CLIENT_ID,
                nextCorrelationId++);
        sendFrame(serialize(header, request));
    }

    /** Writes {@code bytes} as they are: no size prefix is added. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a 4-byte size prefix and then {@code body}. */
    public void sendFrame(ByteBuffer body) {
        byte[] bytes = new byte[4 + body.remaining()];
        ByteBuffer.wrap(bytes).putInt(body.remaining()).put(body.duplicate());
        sendRaw(bytes);
    }

    /** Reads one size-prefixed frame and returns its body. */
    public ByteBuffer readFrame() {
        try {
            int size = in.readInt();
            if (size < 0) {
                throw new IllegalStateException("Negative response size " + size);
            }
            byte[] body = new byte[size];
            in.readFully(body);
            return ByteBuffer.wrap(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading a response failed", e);
        }
    }

    /** Half-closes our side: the broker reads end-of-stream after what was sent. */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True when the broker closes the connection within {@code timeout} (a read returns
     * end-of-stream or the connection is reset); any bytes it sends first are discarded. False
     * when the connection is still open at the deadline.
     */
    public boolean closedByBroker(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] discard = new byte[8192];
        try {
            InputStream stream = socket.getInputStream();
            while (System.nanoTime() - deadline < 0) {
                socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)));
                try {
                    if (stream.read(discard) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // still open: keep waiting
                }
            }
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (!socket.isClosed()) {
                    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
                }
            } catch (SocketException ignored) {
                // closed meanwhile
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** The header and body of a request, without the size prefix. */
    public static ByteBuffer serialize(RequestHeader header, ApiMessage request) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = header.headerVersion();
        int headerSize = header.data().size(cache, headerVersion);
        int bodySize = request.size(cache, header.apiVersion());
        ByteBuffer buffer = ByteBuffer.allocate(headerSize + bodySize);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, headerVersion);
        request.write(accessor, cache, header.apiVersion());
        return buffer.flip();
    }
}
