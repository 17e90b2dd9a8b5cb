package io.millrace.server.replication;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A blocking Kafka-protocol client connection to one broker: one request at a time, written as a
 * size-prefixed frame (request header and body, kafka-clients' generated message classes) and
 * answered by one response frame with the same correlation id. {@link #open} sends ApiVersions
 * first, so {@link #versionFor} knows what both sides speak, then authenticates when the
 * {@link ClientSecurity} uses SASL; a SASL session with an end (KIP-368) is renewed on the same
 * connection by the first request after 85 % of it passed (at least a second before its end,
 * counted from before the exchange, so a request never reaches the other broker after it).
 *
 * <p>Not thread-safe: one owner thread sends. {@link #close} alone may be called from any thread;
 * it aborts a send blocked on the socket (which then throws an IOException).
 */
public final class NodeConnection implements AutoCloseable {
    /** The ApiVersions version sent on connect (flexible; every broker since Kafka 2.4 speaks it). */
    static final short API_VERSIONS_VERSION = 3;
    /** Refuse response frames larger than this (a corrupt size prefix, not a real response). */
    private static final int MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

    /** Re-authenticate once this share of a SASL session has passed (Kafka's clients pick 85 to 95 %)... */
    private static final double REAUTHENTICATE_AT = 0.85;
    /** ...or earlier, to leave this long (but at most half the session) for a request on its way. */
    private static final long REAUTHENTICATE_MARGIN_MS = 1_000;

    private final InetSocketAddress address;
    private final String clientId;
    private final Socket socket;
    private final ClientSecurity security;
    private boolean sessionEnds;
    private long reauthenticateAtNanos;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId;
    private ApiVersionsResponseData.ApiVersionCollection peerVersions;

    private NodeConnection(InetSocketAddress address, String clientId, Socket socket, ClientSecurity security)
            throws IOException {
        this.address = address;
        this.clientId = clientId;
        this.socket = socket;
        this.security = security;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
    }

    /**
     * Connects (within {@code connectTimeoutMs}) and asks the broker's API versions (waiting at
     * most {@code requestTimeoutMs}).
     *
     * @throws IOException when the broker cannot be reached or does not answer ApiVersions
     */
    public static NodeConnection open(InetSocketAddress address, String clientId, int connectTimeoutMs,
                                      int requestTimeoutMs) throws IOException {
        return open(address, clientId, connectTimeoutMs, requestTimeoutMs, ClientSecurity.PLAINTEXT);
    }

    /**
     * As {@link #open(InetSocketAddress, String, int, int)}, over TLS and authenticated with SASL
     * (after ApiVersions) when {@code security} says so.
     */
    public static NodeConnection open(InetSocketAddress address, String clientId, int connectTimeoutMs,
                                      int requestTimeoutMs, ClientSecurity security) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(address, connectTimeoutMs);
            NodeConnection connection = new NodeConnection(address, clientId,
                    security.secure(socket, address, requestTimeoutMs), security);
            connection.askApiVersions(requestTimeoutMs);
            long startNanos = System.nanoTime();
            connection.sessionStarted(startNanos, security.authenticate(connection, requestTimeoutMs));
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void askApiVersions(int timeoutMs) throws IOException {
        ApiVersionsRequestData request = new ApiVersionsRequestData()
                .setClientSoftwareName("millrace").setClientSoftwareVersion("replica-fetcher");
        ApiVersionsResponseData response = send(ApiKeys.API_VERSIONS, API_VERSIONS_VERSION, request, timeoutMs);
        if (response.errorCode() != Errors.NONE.code()) {
            throw new IOException("ApiVersions to " + address + " failed: " + Errors.forCode(response.errorCode()));
        }
        this.peerVersions = response.apiKeys();
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * The highest version of {@code key} both this client (kafka-clients' latest stable version)
     * and the broker support.
     *
     * @throws UnsupportedVersionException when that is below {@code minimum} or the broker lacks the API
     */
    public short versionFor(ApiKeys key, short minimum) {
        ApiVersion theirs = peerVersions == null ? null : peerVersions.find(key.id);
        if (theirs == null) {
            throw new UnsupportedVersionException("Broker at " + address + " does not support " + key.name);
        }
        return negotiate(key, minimum, theirs.minVersion(), theirs.maxVersion());
    }

    /** The highest version in both ranges, at least {@code minimum}. */
    static short negotiate(ApiKeys key, short minimum, short theirMin, short theirMax) {
        short version = (short) Math.min(key.latestVersion(), theirMax);
        if (version < minimum || version < theirMin || version < key.oldestVersion()) {
            throw new UnsupportedVersionException(key.name + ": this broker needs version " + minimum + " to "
                    + key.latestVersion() + ", the peer supports " + theirMin + " to " + theirMax);
        }
        return version;
    }

    /**
     * Sends {@code request} as {@code key} at {@code version} and waits up to {@code timeoutMs}
     * for its response, parsed at the same version.
     *
     * @throws IOException on a socket error, a timeout or a malformed response; the connection
     *                     is then unusable and should be closed
     */
    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T send(ApiKeys key, short version, ApiMessage request, int timeoutMs)
            throws IOException {
        if (sessionEnds && System.nanoTime() - reauthenticateAtNanos >= 0) {
            sessionEnds = false; // the re-authentication's own requests go through here
            long startNanos = System.nanoTime();
            sessionStarted(startNanos, security.authenticate(this, timeoutMs));
        }
        int correlationId = nextCorrelationId++;
        out.write(frame(key, version, correlationId, clientId, request));
        out.flush();
        socket.setSoTimeout(Math.max(1, timeoutMs));
        ByteBuffer response = readFrame();
        ResponseHeaderData header = new ResponseHeaderData(new ByteBufferAccessor(response),
                key.responseHeaderVersion(version));
        if (header.correlationId() != correlationId) {
            throw new IOException("Expected the response to correlation id " + correlationId + " from " + address
                    + ", got " + header.correlationId());
        }
        ApiMessage body = ApiMessageType.fromApiKey(key.id).newResponse();
        try {
            body.read(new ByteBufferAccessor(response), version);
        } catch (RuntimeException e) {
            throw new IOException("Malformed " + key.name + " v" + version + " response from " + address + ": "
                    + e.getMessage(), e);
        }
        return (T) body;
    }

    /**
     * Notes a SASL session of {@code lifetimeMs} (0: no end) that began no earlier than
     * {@code startNanos}, to re-authenticate before it ends.
     */
    private void sessionStarted(long startNanos, long lifetimeMs) {
        sessionEnds = lifetimeMs > 0;
        long reauthenticateAfterMs = Math.max(lifetimeMs / 2,
                Math.min((long) (lifetimeMs * REAUTHENTICATE_AT), lifetimeMs - REAUTHENTICATE_MARGIN_MS));
        reauthenticateAtNanos = startNanos + reauthenticateAfterMs * 1_000_000;
    }

    /** A size-prefixed request frame: header (at the version {@code key} uses for {@code version}) then body. */
    static byte[] frame(ApiKeys key, short version, int correlationId, String clientId, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId(clientId);
        short headerVersion = key.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        accessor.writeInt(size);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }

    private ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        if (size < 0 || size > MAX_RESPONSE_BYTES) {
            throw new IOException("Invalid response size " + size + " from " + address);
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** Closes the socket; a send blocked in another thread fails at once. Idempotent. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: the socket is gone either way
        }
    }

    @Override
    public String toString() {
        return "NodeConnection(" + address + ")";
    }
}
