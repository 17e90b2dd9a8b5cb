package io.millrace.server.security;

import io.millrace.metadata.records.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.security.sasl.SaslException;

/**
 * The client side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677) for this broker's own connections to
 * other brokers: client-first {@code n,,n=USER,r=CNONCE}; from the server-first message's nonce,
 * salt and iteration count, client-final {@code c=biws,r=NONCE,p=PROOF}; then the server-final
 * message's {@code v=} signature is checked, so the other broker proved it knows the credential too.
 * Not thread-safe: one exchange per connection, on the thread opening it.
 */
final class ScramClient {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GS2_HEADER = "n,,";

    private enum State { FIRST, FINAL, VERIFY, COMPLETE }

    private final ScramMechanism mechanism;
    private final String user;
    private final String password;
    private final String clientNonce;
    private State state = State.FIRST;
    private String clientFirstBare;
    private byte[] serverSignature;

    ScramClient(ScramMechanism mechanism, String user, String password) {
        this(mechanism, user, password, randomNonce());
    }

    ScramClient(ScramMechanism mechanism, String user, String password, String clientNonce) {
        this.mechanism = mechanism;
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    /**
     * The next token to send, given the server's last one (ignored for the first).
     *
     * @throws SaslException when the server's message is malformed, or its signature is wrong
     */
    byte[] next(byte[] challenge) throws SaslException {
        String answer = switch (state) {
            case FIRST -> {
                clientFirstBare = "n=" + saslName(user) + ",r=" + clientNonce;
                state = State.FINAL;
                yield GS2_HEADER + clientFirstBare;
            }
            case FINAL -> {
                state = State.VERIFY;
                yield clientFinal(new String(challenge, StandardCharsets.UTF_8));
            }
            case VERIFY -> {
                verify(new String(challenge, StandardCharsets.UTF_8));
                state = State.COMPLETE;
                yield null;
            }
            case COMPLETE -> throw new SaslException("The SCRAM exchange has ended");
        };
        return answer == null ? null : answer.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the server's final message was verified. */
    boolean complete() {
        return state == State.COMPLETE;
    }

    private String clientFinal(String serverFirst) throws SaslException {
        String nonce = null;
        String salt = null;
        String iterations = null;
        for (String attribute : serverFirst.split(",")) {
            if (attribute.startsWith("r=")) {
                nonce = attribute.substring(2);
            } else if (attribute.startsWith("s=")) {
                salt = attribute.substring(2);
            } else if (attribute.startsWith("i=")) {
                iterations = attribute.substring(2);
            } else if (attribute.startsWith("e=")) {
                throw new SaslException("SCRAM server error: " + attribute.substring(2));
            }
        }
        if (nonce == null || salt == null || iterations == null || !nonce.startsWith(clientNonce)
                || nonce.length() == clientNonce.length()) {
            throw new SaslException("Invalid SCRAM server-first message");
        }
        int count;
        byte[] saltBytes;
        try {
            count = Integer.parseInt(iterations);
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            throw new SaslException("Invalid SCRAM server-first message: " + e.getMessage());
        }
        if (count < ScramMechanism.MIN_ITERATIONS || count > ScramMechanism.MAX_ITERATIONS) {
            throw new SaslException("SCRAM iteration count " + count + " is outside " + ScramMechanism.MIN_ITERATIONS
                    + " to " + ScramMechanism.MAX_ITERATIONS);
        }
        byte[] saltedPassword = mechanism.saltedPassword(password, saltBytes, count);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientKey = mechanism.clientKey(saltedPassword);
        byte[] clientSignature = mechanism.hmac(mechanism.storedKey(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        serverSignature = mechanism.hmac(mechanism.serverKey(saltedPassword), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    private void verify(String serverFinal) throws SaslException {
        if (serverFinal.startsWith("e=")) {
            throw new SaslException("SCRAM server error: " + serverFinal.substring(2));
        }
        byte[] signature;
        try {
            signature = serverFinal.startsWith("v=") ? Base64.getDecoder().decode(serverFinal.substring(2)) : null;
        } catch (IllegalArgumentException e) {
            signature = null;
        }
        if (signature == null || !MessageDigest.isEqual(signature, serverSignature)) {
            throw new SaslException("The other broker's SCRAM server signature is wrong: it does not hold this "
                    + "user's credential");
        }
    }

    /** RFC 5802 saslname: ',' as "=2C" and '=' as "=3D". */
    private static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static String randomNonce() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
