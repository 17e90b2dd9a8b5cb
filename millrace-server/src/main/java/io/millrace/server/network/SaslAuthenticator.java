package io.millrace.server.network;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
 * SASL authentication of one connection on a SASL listener, and its session afterwards.
 *
 * <p>Before any other request is served: ApiVersions, then SaslHandshake (v0-1) naming a
 * mechanism, then the client's tokens (one for PLAIN, two for SCRAM) to the mechanism's
 * {@link SaslExchange}, each either in SaslAuthenticate (v0-2, after a v1 handshake) or as a bare
 * size-prefixed frame (after a v0 handshake, as older clients send it). Any other request before
 * authentication closes the connection; failed authentication answers SASL_AUTHENTICATION_FAILED
 * with a message (or, in the v0 form, closes).
 *
 * <p>Sessions (KIP-368): when the listener's {@code connections.max.reauth.ms} for the mechanism
 * is positive, the session lasts that long, or less when the credential expires sooner (an
 * OAUTHBEARER token); SaslAuthenticate v1+ tells the client; the first
 * request after it ended closes the connection, unless it is a SaslHandshake that starts a
 * re-authentication, which a client that used SaslAuthenticate v1+ may do at any time. A
 * re-authentication uses the same mechanism and must name the same principal; anything else, or
 * failed credentials (a deleted SCRAM user), closes the connection.
 *
 * <p>Not thread-safe: owned by the connection's thread.
 */
final class SaslAuthenticator {
    static final short MAX_HANDSHAKE_VERSION = 1;
    static final short MAX_AUTHENTICATE_VERSION = 2;

    private enum State { HANDSHAKE, AUTHENTICATE, RAW_TOKEN, AUTHENTICATED, FAILED }

    /**
     * What one frame came to: a response to write (may be null), and whether to close after it.
     *
     * @param closeReason why the connection closes, for the log, when {@code close}
     */
    record Step(ResponseBytes response, boolean close, String closeReason) {
        static Step answer(ResponseBytes response) {
            return new Step(response, false, null);
        }
    }

    private final ListenerSasl sasl;
    private final LongSupplier nanoClock;
    private State state = State.HANDSHAKE;
    private SaslExchange exchange;
    private String mechanism;
    private String principal;
    /** Set while re-authenticating: the session's principal and mechanism, which must not change. */
    private String previousPrincipal;
    private String previousMechanism;
    /** The client sent SaslAuthenticate v1+, so it knows of session lifetimes and may re-authenticate. */
    private boolean clientSupportsReauthentication;
    private boolean sessionExpires;
    private long sessionEndNanos;

    SaslAuthenticator(ListenerSasl sasl) {
        this(sasl, System::nanoTime);
    }

    SaslAuthenticator(ListenerSasl sasl, LongSupplier nanoClock) {
        this.sasl = sasl;
        this.nanoClock = nanoClock;
    }

    boolean authenticated() {
        return state == State.AUTHENTICATED;
    }

    /** The authenticated principal, once {@link #authenticated()}. */
    String principal() {
        return principal;
    }

    /**
     * Handles one frame: before authentication, during a re-authentication, or as the start of one;
     * returns null for an ordinary request of an authenticated connection whose session is live,
     * which the caller dispatches.
     *
     * @throws RejectedRequestException when the frame is a request not allowed before authentication
     */
    Step handle(ByteBuffer frame, RequestDispatcher dispatcher, ConnectionInfo info, InFlightRequest inFlight)
            throws RejectedRequestException, InterruptedException {
        if (state == State.AUTHENTICATED) {
            if (clientSupportsReauthentication && apiKeyOf(frame) == ApiKeys.SASL_HANDSHAKE) {
                previousPrincipal = principal;
                previousMechanism = mechanism;
                state = State.HANDSHAKE;
            } else if (sessionExpires && nanoClock.getAsLong() - sessionEndNanos >= 0) {
                return new Step(null, true, "its SASL session ended " + TimeUnit.NANOSECONDS.toMillis(
                        nanoClock.getAsLong() - sessionEndNanos) + " ms ago and the client did not re-authenticate "
                        + "(connections.max.reauth.ms)");
            } else {
                return null;
            }
        }
        if (state == State.RAW_TOKEN) {
            return rawToken(frame);
        }
        RequestHeader header = RequestDispatcher.parseHeader(frame.duplicate());
        ApiKeys key = header.apiKey();
        return switch (key) {
            case API_VERSIONS -> {
                if (reauthenticating()) {
                    throw new RejectedRequestException("ApiVersions during SASL re-authentication");
                }
                yield Step.answer(dispatcher.dispatch(frame, info, inFlight).response());
            }
            case SASL_HANDSHAKE -> handshake(frame, header);
            case SASL_AUTHENTICATE -> authenticate(frame, header);
            default -> throw new RejectedRequestException(key.name + " before SASL " + authenticationText()
                    + " finished (only ApiVersions, SaslHandshake and SaslAuthenticate are allowed then)");
        };
    }

    private boolean reauthenticating() {
        return previousPrincipal != null;
    }

    private String authenticationText() {
        return reauthenticating() ? "re-authentication" : "authentication";
    }

    private static ApiKeys apiKeyOf(ByteBuffer frame) {
        if (frame.remaining() < Short.BYTES) {
            return null;
        }
        short id = frame.getShort(frame.position());
        return ApiKeys.hasId(id) ? ApiKeys.forId(id) : null;
    }

    private Step handshake(ByteBuffer frame, RequestHeader header) throws RejectedRequestException {
        short version = checkVersion(header, MAX_HANDSHAKE_VERSION);
        if (state != State.HANDSHAKE) {
            throw new RejectedRequestException("a second SaslHandshake before SASL " + authenticationText()
                    + " finished");
        }
        SaslHandshakeRequestData request = (SaslHandshakeRequestData) body(frame, header);
        SaslHandshakeResponseData response = new SaslHandshakeResponseData()
                .setMechanisms(sasl.enabledMechanisms());
        String asked = request.mechanism() == null ? "" : request.mechanism().toUpperCase(Locale.ROOT);
        if (!sasl.enabledMechanisms().contains(asked)) {
            response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            state = State.FAILED;
            return new Step(respond(header, response, version), true, "SASL mechanism '" + request.mechanism()
                    + "' is not enabled");
        }
        if (reauthenticating() && !asked.equals(previousMechanism)) {
            response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            state = State.FAILED;
            return new Step(respond(header, response, version), true, "SASL mechanism '" + asked + "' requested by "
                    + "the client is not supported for re-authentication of mechanism '" + previousMechanism + "'");
        }
        mechanism = asked;
        exchange = sasl.start(asked);
        state = version == 0 ? State.RAW_TOKEN : State.AUTHENTICATE;
        return Step.answer(respond(header, response, version));
    }

    private Step authenticate(ByteBuffer frame, RequestHeader header) throws RejectedRequestException {
        short version = checkVersion(header, MAX_AUTHENTICATE_VERSION);
        if (state != State.AUTHENTICATE) {
            throw new RejectedRequestException("SaslAuthenticate before a SaslHandshake v1 named a mechanism");
        }
        clientSupportsReauthentication |= version > 0;
        SaslAuthenticateRequestData request = (SaslAuthenticateRequestData) body(frame, header);
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData().setAuthBytes(new byte[0]);
        try {
            response.setAuthBytes(exchange.evaluate(request.authBytes()));
            if (exchange.complete()) {
                long lifetimeMs = completed();
                if (version > 0) {
                    response.setSessionLifetimeMs(lifetimeMs);
                }
            }
            return Step.answer(respond(header, response, version));
        } catch (SaslException e) {
            String text = authenticationText();
            state = State.FAILED;
            response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(e.getMessage())
                    .setAuthBytes(new byte[0]);
            return new Step(respond(header, response, version), true, "SASL " + text + " failed: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        }
    }

    /** The v0 form: each token is a whole frame, each answer a bare size-prefixed frame. */
    private Step rawToken(ByteBuffer frame) throws RejectedRequestException {
        byte[] token = new byte[frame.remaining()];
        frame.get(token);
        byte[] answer;
        try {
            answer = exchange.evaluate(token);
            if (exchange.complete()) {
                completed();
            }
        } catch (SaslException e) {
            throw new RejectedRequestException("SASL " + authenticationText() + " failed: " + e.getMessage());
        }
        ByteBuffer sized = ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip();
        return Step.answer(new GatheredBuffers(new ByteBuffer[] {sized}));
    }

    /**
     * Starts the session of the exchange that just completed; returns its lifetime in ms (0: no end).
     *
     * @throws SaslException when a re-authentication named another principal
     */
    private long completed() throws SaslException {
        String authenticated = exchange.principal();
        long credentialLifetimeMs = exchange.credentialLifetimeMs();
        if (reauthenticating() && !authenticated.equals(previousPrincipal)) {
            throw new SaslException("Cannot change principals during re-authentication from " + previousPrincipal
                    + ": " + authenticated);
        }
        principal = authenticated;
        previousPrincipal = null;
        previousMechanism = null;
        exchange = null;
        state = State.AUTHENTICATED;
        long maxReauthMs = sasl.maxReauthMs(mechanism);
        long lifetimeMs;
        if (credentialLifetimeMs >= 0) {
            lifetimeMs = maxReauthMs > 0 ? Math.min(maxReauthMs, credentialLifetimeMs) : credentialLifetimeMs;
        } else {
            lifetimeMs = Math.max(0, maxReauthMs);
        }
        sessionExpires = credentialLifetimeMs >= 0 || maxReauthMs > 0;
        sessionEndNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(lifetimeMs);
        return lifetimeMs;
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
