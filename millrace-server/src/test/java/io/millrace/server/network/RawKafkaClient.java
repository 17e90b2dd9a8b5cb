package io.millrace.server.network;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * A blocking Kafka protocol client over a plain socket, for tests: it writes exactly the frames
 * it is told to (any API, any version, raw bytes) and reads responses with the generated classes.
 * Not thread-safe.
 */
public final class RawKafkaClient implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    private RawKafkaClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawKafkaClient connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), (int) READ_TIMEOUT.toMillis());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return new RawKafkaClient(socket);
    }

    public static RawKafkaClient connect(int port) throws IOException {
        return connect("127.0.0.1", port);
    }

    /** A request frame: header (at the version {@code apiKey} uses for {@code version}) then body. */
    public static byte[] frame(ApiKeys apiKey, short version, int correlationId, ApiMessage body, short bodyVersion) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(apiKey.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("raw-client");
        short headerVersion = apiKey.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, bodyVersion);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        accessor.writeInt(size);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, bodyVersion);
        return buffer.array();
    }

    /** Sends {@code request} at {@code version}; returns its correlation id. */
    public int send(ApiMessage request, short version) throws IOException {
        int correlationId = nextCorrelationId++;
        sendRaw(frame(ApiKeys.forId(request.apiKey()), version, correlationId, request, version));
        return correlationId;
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame and checks its correlation id; the body is left unparsed. */
    public ByteBuffer receiveFrame(ApiKeys apiKey, short headerVersionOf, int expectedCorrelationId) throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        ByteBuffer frame = ByteBuffer.wrap(bytes);
        ResponseHeaderData header = new ResponseHeaderData(new ByteBufferAccessor(frame),
                apiKey.responseHeaderVersion(headerVersionOf));
        if (header.correlationId() != expectedCorrelationId) {
            throw new IOException("Expected correlation id " + expectedCorrelationId + ", got " + header.correlationId());
        }
        return frame;
    }

    /** Reads the response to the request with {@code correlationId}, parsed at {@code version}. */
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> R receive(ApiKeys apiKey, short version, int correlationId) throws IOException {
        ByteBuffer body = receiveFrame(apiKey, version, correlationId);
        ApiMessage data = AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(body), version).data();
        if (body.hasRemaining()) {
            throw new IOException(body.remaining() + " bytes left after the " + apiKey.name + " v" + version + " response");
        }
        return (R) data;
    }

    /** Sends {@code request} at {@code version} and waits for its response. */
    public <R extends ApiMessage> R call(ApiMessage request, short version) throws IOException {
        int correlationId = send(request, version);
        return receive(ApiKeys.forId(request.apiKey()), version, correlationId);
    }

    /** The correlation id of the next response, which is read and dropped. */
    public int receiveAnyCorrelationId(ApiKeys apiKey, short version) throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return new ResponseHeaderData(new ByteBufferAccessor(ByteBuffer.wrap(bytes)),
                apiKey.responseHeaderVersion(version)).correlationId();
    }

    /** True when the server closes the connection within {@code timeout} (end of stream or reset). */
    public boolean awaitClosedByPeer(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
