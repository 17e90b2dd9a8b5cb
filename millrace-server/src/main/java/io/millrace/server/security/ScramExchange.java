package io.millrace.server.security;

import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import io.millrace.server.network.SaslExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.security.sasl.SaslException;

/**
 * The server side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677) for one connection, two rounds:
 * <ol>
 *   <li>client-first {@code gs2-header n=USER,r=CNONCE[,ext]} → server-first
 *       {@code r=CNONCE SNONCE,s=SALT,i=ITERATIONS}, the user's credential found in the metadata;</li>
 *   <li>client-final {@code c=BINDING,r=NONCE,p=PROOF} → the proof is checked against StoredKey
 *       (H(proof XOR HMAC(StoredKey, AuthMessage)) == StoredKey), then server-final
 *       {@code v=HMAC(ServerKey, AuthMessage)}.</li>
 * </ol>
 * Channel binding ("p=") and delegation tokens ({@code tokenauth=true}) are refused; an
 * authorization id other than the user name is refused, as Kafka does. Not thread-safe: owned by
 * the connection's thread.
 */
final class ScramExchange implements SaslExchange {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String INVALID = "Authentication failed: Invalid user credentials";

    /** Where credentials come from: the current metadata image. */
    interface Credentials {
        Optional<ScramCredentialRecord> lookup(String user, ScramMechanism mechanism);
    }

    private enum State { CLIENT_FIRST, CLIENT_FINAL, COMPLETE, FAILED }

    private final ScramMechanism mechanism;
    private final Credentials credentials;
    private final Supplier<String> serverNonces;
    private State state = State.CLIENT_FIRST;
    private String user;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredentialRecord credential;

    ScramExchange(ScramMechanism mechanism, Credentials credentials) {
        this(mechanism, credentials, ScramExchange::randomNonce);
    }

    ScramExchange(ScramMechanism mechanism, Credentials credentials, Supplier<String> serverNonces) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.serverNonces = serverNonces;
    }

    @Override
    public byte[] evaluate(byte[] token) throws SaslException {
        String message = new String(token, StandardCharsets.UTF_8);
        State current = state;
        state = State.FAILED; // until this round succeeds
        String answer = switch (current) {
            case CLIENT_FIRST -> clientFirst(message);
            case CLIENT_FINAL -> clientFinal(message);
            case COMPLETE, FAILED -> throw new SaslException("Unexpected SCRAM message: the exchange has ended");
        };
        state = current == State.CLIENT_FIRST ? State.CLIENT_FINAL : State.COMPLETE;
        return answer.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean complete() {
        return state == State.COMPLETE;
    }

    @Override
    public String principal() {
        return complete() ? "User:" + user : null;
    }

    private String clientFirst(String message) throws SaslException {
        int first = message.indexOf(',');
        int second = first < 0 ? -1 : message.indexOf(',', first + 1);
        if (second < 0) {
            throw new SaslException("Invalid SCRAM client-first message");
        }
        String binding = message.substring(0, first);
        if (binding.startsWith("p=")) {
            throw new SaslException("SCRAM channel binding is not supported");
        }
        if (!binding.equals("n") && !binding.equals("y")) {
            throw new SaslException("Invalid SCRAM client-first message: bad GS2 header");
        }
        String authzid = message.substring(first + 1, second);
        gs2Header = message.substring(0, second + 1);
        clientFirstBare = message.substring(second + 1);
        String[] attributes = clientFirstBare.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")
                || attributes[1].length() == 2) {
            throw new SaslException("Invalid SCRAM client-first message: expected n=USER,r=NONCE");
        }
        for (int i = 2; i < attributes.length; i++) {
            if (attributes[i].equals("tokenauth=true")) {
                throw new SaslException("Authentication failed: delegation tokens are not supported");
            }
        }
        user = saslName(attributes[0].substring(2));
        if (!authzid.isEmpty() && !(authzid.startsWith("a=") && saslName(authzid.substring(2)).equals(user))) {
            throw new SaslException("Authentication failed: Client requested an authorization id that is different"
                    + " from username");
        }
        credential = credentials.lookup(user, mechanism).orElseThrow(() -> new SaslException(INVALID));
        nonce = attributes[1].substring(2) + serverNonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i="
                + credential.iterations();
        return serverFirst;
    }

    private String clientFinal(String message) throws SaslException {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new SaslException("Invalid SCRAM client-final message: no proof");
        }
        String withoutProof = message.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw new SaslException("Invalid SCRAM client-final message: expected c=BINDING,r=NONCE,...,p=PROOF");
        }
        String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!attributes[0].substring(2).equals(expectedBinding)) {
            throw new SaslException("Invalid SCRAM client-final message: channel binding does not match");
        }
        // RFC 5802 wants exactly the server-first nonce; librdkafka sends its client nonce once more
        // in front of it, which Kafka accepts (the nonce must end with ours), and so do we. The proof
        // covers the message as sent, and our fresh server nonce is still required.
        if (!attributes[1].substring(2).endsWith(nonce)) {
            throw new SaslException("Invalid client nonce in the final client message");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw new SaslException("Invalid SCRAM client-final message: proof is not base64");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = mechanism.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw new SaslException(INVALID);
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(mechanism.storedKey(clientKey), credential.storedKey())) {
            throw new SaslException(INVALID);
        }
        return "v=" + Base64.getEncoder().encodeToString(mechanism.hmac(credential.serverKey(), authMessage));
    }

    /** RFC 5802 saslname: "=2C" is ',' and "=3D" is '='; any other '=' is malformed. */
    private static String saslName(String encoded) throws SaslException {
        StringBuilder name = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '=') {
                name.append(c);
            } else if (encoded.startsWith("=2C", i)) {
                name.append(',');
                i += 2;
            } else if (encoded.startsWith("=3D", i)) {
                name.append('=');
                i += 2;
            } else {
                throw new SaslException("Invalid SCRAM user name encoding");
            }
        }
        if (name.isEmpty()) {
            throw new SaslException("Invalid SCRAM client-first message: empty user name");
        }
        return name.toString();
    }

    private static String randomNonce() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
