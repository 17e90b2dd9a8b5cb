package io.millrace.server.network;

import java.nio.ByteBuffer;
import java.util.Locale;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * SASL authentication of one connection on a SASL listener, before any other request is served:
 * ApiVersions, then SaslHandshake (v0-1) naming a mechanism, then the client's tokens (one for
 * PLAIN, two for SCRAM) to the mechanism's {@link SaslExchange}, each either in SaslAuthenticate
 * (v0-2, after a v1 handshake) or as a bare size-prefixed frame (after a v0 handshake, as older
 * clients send it). Any other request before authentication closes the
 * connection; failed authentication answers SASL_AUTHENTICATION_FAILED with a message (or, in the
 * v0 form, closes). Not thread-safe: owned by the connection's thread.
 */
final class SaslAuthenticator {
    static final short MAX_HANDSHAKE_VERSION = 1;
    static final short MAX_AUTHENTICATE_VERSION = 2;

    private enum State { HANDSHAKE, AUTHENTICATE, RAW_TOKEN, AUTHENTICATED, FAILED }

    /** What one frame came to: a response to write (may be null), and whether to close after it. */
    record Step(ResponseBytes response, boolean close) {
    }

    private final ListenerSasl sasl;
    private State state = State.HANDSHAKE;
    private SaslExchange exchange;
    private String principal;

    SaslAuthenticator(ListenerSasl sasl) {
        this.sasl = sasl;
    }

    boolean authenticated() {
        return state == State.AUTHENTICATED;
    }

    /** The authenticated principal, once {@link #authenticated()}. */
    String principal() {
        return principal;
    }

    /**
     * Handles one frame read before authentication finished.
     *
     * @throws RejectedRequestException when the frame is a request not allowed before authentication
     */
    Step handle(ByteBuffer frame, RequestDispatcher dispatcher, ConnectionInfo info, InFlightRequest inFlight)
            throws RejectedRequestException, InterruptedException {
        if (state == State.RAW_TOKEN) {
            return rawToken(frame);
        }
        RequestHeader header = RequestDispatcher.parseHeader(frame.duplicate());
        ApiKeys key = header.apiKey();
        return switch (key) {
            case API_VERSIONS -> new Step(dispatcher.dispatch(frame, info, inFlight).response(), false);
            case SASL_HANDSHAKE -> handshake(frame, header);
            case SASL_AUTHENTICATE -> authenticate(frame, header);
            default -> throw new RejectedRequestException(key.name + " before SASL authentication (only ApiVersions, "
                    + "SaslHandshake and SaslAuthenticate are allowed then)");
        };
    }

    private Step handshake(ByteBuffer frame, RequestHeader header) throws RejectedRequestException {
        short version = checkVersion(header, MAX_HANDSHAKE_VERSION);
        if (state != State.HANDSHAKE) {
            throw new RejectedRequestException("a second SaslHandshake before authentication finished");
        }
        SaslHandshakeRequestData request = (SaslHandshakeRequestData) body(frame, header);
        SaslHandshakeResponseData response = new SaslHandshakeResponseData()
                .setMechanisms(sasl.enabledMechanisms());
        String asked = request.mechanism() == null ? "" : request.mechanism().toUpperCase(Locale.ROOT);
        boolean close = false;
        if (sasl.enabledMechanisms().contains(asked)) {
            exchange = sasl.start(asked);
            state = version == 0 ? State.RAW_TOKEN : State.AUTHENTICATE;
        } else {
            response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            state = State.FAILED;
            close = true;
        }
        return new Step(respond(header, response, version), close);
    }

    private Step authenticate(ByteBuffer frame, RequestHeader header) throws RejectedRequestException {
        short version = checkVersion(header, MAX_AUTHENTICATE_VERSION);
        if (state != State.AUTHENTICATE) {
            throw new RejectedRequestException("SaslAuthenticate before a SaslHandshake v1 named a mechanism");
        }
        SaslAuthenticateRequestData request = (SaslAuthenticateRequestData) body(frame, header);
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData().setAuthBytes(new byte[0]);
        try {
            response.setAuthBytes(exchange.evaluate(request.authBytes()));
            if (exchange.complete()) {
                principal = exchange.principal();
                state = State.AUTHENTICATED;
            }
            return new Step(respond(header, response, version), false);
        } catch (SaslException e) {
            state = State.FAILED;
            response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(e.getMessage());
            return new Step(respond(header, response, version), true);
        }
    }

    /** The v0 form: each token is a whole frame, each answer a bare size-prefixed frame. */
    private Step rawToken(ByteBuffer frame) throws RejectedRequestException {
        byte[] token = new byte[frame.remaining()];
        frame.get(token);
        byte[] answer;
        try {
            answer = exchange.evaluate(token);
        } catch (SaslException e) {
            throw new RejectedRequestException("SASL authentication failed: " + e.getMessage());
        }
        if (exchange.complete()) {
            principal = exchange.principal();
            state = State.AUTHENTICATED;
        }
        ByteBuffer sized = ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip();
        return new Step(new GatheredBuffers(new ByteBuffer[] {sized}), false);
    }

    private static short checkVersion(RequestHeader header, short max) throws RejectedRequestException {
        short version = header.apiVersion();
        if (version < 0 || version > max) {
            throw new RejectedRequestException(header.apiKey().name + " v" + version + " is not supported; this "
                    + "broker serves v0 to v" + max);
        }
        return version;
    }

    private static ApiMessage body(ByteBuffer frame, RequestHeader header) throws RejectedRequestException {
        ByteBuffer rest = frame.duplicate();
        RequestDispatcher.parseHeader(rest);
        return RequestDispatcher.parseBody(header.apiKey(), header.apiVersion(), rest).data();
    }

    private static ResponseBytes respond(RequestHeader header, ApiMessage body, short version) {
        return ResponseWriter.serialize(header.correlationId(), header.apiKey().responseHeaderVersion(version), body,
                version);
    }
}
