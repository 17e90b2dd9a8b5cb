package io.millrace.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.Test;

/**
 * Sessions and re-authentication (KIP-368) of {@link SaslAuthenticator}, on a fake clock, with a
 * one-round test mechanism whose token is the user name.
 */
class SaslAuthenticatorTest {
    private static final long LIFETIME_MS = 1_000;
    private static final ConnectionInfo INFO = new ConnectionInfo(1, "SASL", new InetSocketAddress("127.0.0.1", 1));

    private long nowNanos = 1_000_000_000L;
    private final SaslAuthenticator authenticator = new SaslAuthenticator(new TestSasl(LIFETIME_MS), () -> nowNanos);
    private int correlationId;

    /** PLAIN and SCRAM-SHA-256 by name; either takes one token, the user name ("bad" fails). */
    private record TestSasl(long maxReauthMs) implements ListenerSasl {
        @Override
        public List<String> enabledMechanisms() {
            return List.of("PLAIN", "SCRAM-SHA-256");
        }

        @Override
        public SaslExchange start(String mechanism) {
            return new SaslExchange() {
                private String user;

                @Override
                public byte[] evaluate(byte[] token) throws SaslException {
                    String name = new String(token, StandardCharsets.UTF_8);
                    if (name.equals("bad")) {
                        throw new SaslException("Authentication failed: Invalid user credentials");
                    }
                    user = name;
                    return new byte[0];
                }

                @Override
                public boolean complete() {
                    return user != null;
                }

                @Override
                public String principal() {
                    return "User:" + user;
                }
            };
        }

        @Override
        public long maxReauthMs(String mechanism) {
            return maxReauthMs;
        }
    }

    private void advanceMs(long ms) {
        nowNanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private SaslAuthenticator.Step send(ApiMessage request, short version) throws Exception {
        byte[] frame = RawKafkaClient.frame(ApiKeys.forId(request.apiKey()), version, ++correlationId, request, version);
        return authenticator.handle(ByteBuffer.wrap(frame, 4, frame.length - 4).slice(), null, INFO,
                new InFlightRequest());
    }

    @SuppressWarnings("unchecked")
    private static <R extends ApiMessage> R body(SaslAuthenticator.Step step, ApiKeys key, short version)
            throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        step.response().writeTo(new CollectingChannel(bytes));
        ByteBuffer frame = ByteBuffer.wrap(bytes.toByteArray());
        frame.getInt();
        new ResponseHeaderData(new ByteBufferAccessor(frame), key.responseHeaderVersion(version));
        return (R) AbstractResponse.parseResponse(key, new ByteBufferAccessor(frame), version).data();
    }

    private SaslAuthenticateResponseData authenticate(String mechanism, String user, short version) throws Exception {
        SaslAuthenticator.Step handshake = send(new SaslHandshakeRequestData().setMechanism(mechanism), (short) 1);
        assertFalse(handshake.close());
        assertEquals(Errors.NONE.code(), SaslAuthenticatorTest.<SaslHandshakeResponseData>body(handshake, ApiKeys.SASL_HANDSHAKE,
                (short) 1).errorCode());
        SaslAuthenticator.Step step = send(new SaslAuthenticateRequestData()
                .setAuthBytes(user.getBytes(StandardCharsets.UTF_8)), version);
        return body(step, ApiKeys.SASL_AUTHENTICATE, version);
    }

    private SaslAuthenticator.Step metadata() throws Exception {
        return send(new MetadataRequestData(), (short) 12);
    }

    @Test
    void theSessionLifetimeIsToldAndAnExpiredSessionClosesAtTheNextRequest() throws Exception {
        SaslAuthenticateResponseData answer = authenticate("PLAIN", "alice", (short) 2);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        assertEquals(LIFETIME_MS, answer.sessionLifetimeMs());
        assertEquals("User:alice", authenticator.principal());
        advanceMs(LIFETIME_MS - 1);
        assertNull(metadata(), "served as usual within the session");
        advanceMs(1);
        SaslAuthenticator.Step expired = metadata();
        assertTrue(expired.close());
        assertNull(expired.response());
        assertTrue(expired.closeReason().contains("did not re-authenticate"), expired.closeReason());
    }

    @Test
    void reAuthenticationStartsANewSessionOnTheSameConnection() throws Exception {
        authenticate("SCRAM-SHA-256", "alice", (short) 1);
        for (int round = 0; round < 3; round++) {
            advanceMs(900);
            SaslAuthenticateResponseData again = authenticate("SCRAM-SHA-256", "alice", (short) 2);
            assertEquals(Errors.NONE.code(), again.errorCode());
            assertEquals(LIFETIME_MS, again.sessionLifetimeMs());
            advanceMs(900);
            assertNull(metadata(), "round " + round);
        }
        // Even after the session ended, a SaslHandshake is a re-authentication, not a request to refuse.
        advanceMs(5_000);
        assertEquals(Errors.NONE.code(), authenticate("SCRAM-SHA-256", "alice", (short) 2).errorCode());
        assertNull(metadata());
    }

    @Test
    void reAuthenticationAsAnotherPrincipalCloses() throws Exception {
        authenticate("PLAIN", "alice", (short) 2);
        SaslAuthenticator.Step handshake = send(new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1);
        assertFalse(handshake.close());
        SaslAuthenticator.Step other = send(new SaslAuthenticateRequestData()
                .setAuthBytes("mallory".getBytes(StandardCharsets.UTF_8)), (short) 2);
        assertTrue(other.close());
        SaslAuthenticateResponseData refused = body(other, ApiKeys.SASL_AUTHENTICATE, (short) 2);
        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), refused.errorCode());
        assertEquals("Cannot change principals during re-authentication from User:alice: User:mallory",
                refused.errorMessage());
    }

    @Test
    void withoutConnectionsMaxReauthMsASessionHasNoEnd() throws Exception {
        SaslAuthenticator fresh = new SaslAuthenticator(new TestSasl(0), () -> nowNanos);
        byte[] frame = RawKafkaClient.frame(ApiKeys.SASL_HANDSHAKE, (short) 1, 1,
                new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1);
        fresh.handle(ByteBuffer.wrap(frame, 4, frame.length - 4).slice(), null, INFO, new InFlightRequest());
        frame = RawKafkaClient.frame(ApiKeys.SASL_AUTHENTICATE, (short) 2, 2, new SaslAuthenticateRequestData()
                .setAuthBytes("bob".getBytes(StandardCharsets.UTF_8)), (short) 2);
        SaslAuthenticator.Step step = fresh.handle(ByteBuffer.wrap(frame, 4, frame.length - 4).slice(), null, INFO,
                new InFlightRequest());
        assertEquals(0, SaslAuthenticatorTest.<SaslAuthenticateResponseData>body(step, ApiKeys.SASL_AUTHENTICATE, (short) 2)
                .sessionLifetimeMs());
        nowNanos += TimeUnit.DAYS.toNanos(365);
        frame = RawKafkaClient.frame(ApiKeys.METADATA, (short) 12, 3, new MetadataRequestData(), (short) 12);
        assertNull(fresh.handle(ByteBuffer.wrap(frame, 4, frame.length - 4).slice(), null, INFO, new InFlightRequest()));
    }

    @Test
    void reAuthenticationWithAnotherMechanismCloses() throws Exception {
        authenticate("PLAIN", "alice", (short) 2);
        SaslAuthenticator.Step switched = send(new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-256"), (short) 1);
        assertTrue(switched.close());
        assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), SaslAuthenticatorTest.<SaslHandshakeResponseData>body(switched,
                ApiKeys.SASL_HANDSHAKE, (short) 1).errorCode());
    }

    @Test
    void failedReAuthenticationCloses() throws Exception {
        authenticate("PLAIN", "alice", (short) 2);
        send(new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1);
        SaslAuthenticator.Step bad = send(new SaslAuthenticateRequestData()
                .setAuthBytes("bad".getBytes(StandardCharsets.UTF_8)), (short) 2);
        assertTrue(bad.close());
        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), SaslAuthenticatorTest.<SaslAuthenticateResponseData>body(bad,
                ApiKeys.SASL_AUTHENTICATE, (short) 2).errorCode());
        assertTrue(bad.closeReason().startsWith("SASL re-authentication failed"), bad.closeReason());
    }

    @Test
    void aVersionZeroClientCannotReAuthenticateButItsSessionStillEnds() throws Exception {
        SaslAuthenticateResponseData answer = authenticate("PLAIN", "alice", (short) 0);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        // A SaslHandshake goes to the handlers (ILLEGAL_SASL_STATE), as in Kafka.
        assertNull(send(new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1));
        advanceMs(LIFETIME_MS);
        SaslAuthenticator.Step expired = send(new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1);
        assertNotNull(expired);
        assertTrue(expired.close());
    }

    /** Collects what a response writes. */
    private record CollectingChannel(ByteArrayOutputStream bytes) implements GatheringByteChannel {
        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                written += write(srcs[i]);
            }
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] copy = new byte[n];
            src.get(copy);
            bytes.writeBytes(copy);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
