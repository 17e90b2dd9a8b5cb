package io.millrace.server.security;

import io.millrace.server.network.SaslExchange;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.sasl.SaslException;

/**
 * The server side of SASL/OAUTHBEARER (RFC 7628) for one connection, with unsecured JWTs
 * ({@link UnsecuredJwsValidator}). The client's first message is
 * {@code n,[a=AUTHZID],^Aauth=Bearer TOKEN^A[key=value^A...]^A}; extensions are accepted and
 * ignored, as Kafka's unsecured validator accepts every one. A valid token completes the exchange
 * (principal {@code User:SUB}; an authorization id must equal it); an invalid one is answered with
 * RFC 7628's error challenge ({@code {"status":"invalid_token"}}, or {@code insufficient_scope} with
 * the required scope), the client's {@code ^A} reply then fails the exchange. The session lasts no
 * longer than the token. Not thread-safe: owned by the connection's thread.
 */
final class OAuthBearerExchange implements SaslExchange {
    static final String OAUTHBEARER = "OAUTHBEARER";
    private static final String SEPARATOR = "\u0001";
    private static final Pattern INITIAL_RESPONSE = Pattern.compile(
            "n,(a=(?<authzid>(?:[\\x01-\\x7F&&[^=,]]|=2C|=3D)+))?," + SEPARATOR
                    + "(?<kvpairs>([A-Za-z]+=[\\x21-\\x7E \t\r\n]+" + SEPARATOR + ")*)" + SEPARATOR);
    private static final Pattern AUTH = Pattern.compile("(?<scheme>\\w+) +(?<token>[-_.a-zA-Z0-9]+)");

    private final UnsecuredJwsValidator validator;
    private final LongSupplier wallClockMs;
    private String principal;
    private long expiresAtMs;
    private SaslException pendingFailure;

    OAuthBearerExchange(UnsecuredJwsValidator validator, LongSupplier wallClockMs) {
        this.validator = validator;
        this.wallClockMs = wallClockMs;
    }

    @Override
    public byte[] evaluate(byte[] token) throws SaslException {
        if (principal != null) {
            throw new SaslException("SASL/OAUTHBEARER takes a single token");
        }
        if (pendingFailure != null) {
            // The client acknowledged our error challenge (RFC 7628 section 3.2.3) or sent anything else.
            throw pendingFailure;
        }
        Matcher message = INITIAL_RESPONSE.matcher(new String(token, StandardCharsets.UTF_8));
        if (!message.matches()) {
            throw new SaslException("Invalid OAUTHBEARER client first message");
        }
        String auth = null;
        for (String pair : message.group("kvpairs").split(SEPARATOR)) {
            if (pair.startsWith("auth=")) {
                auth = pair.substring("auth=".length());
            }
        }
        if (auth == null) {
            throw new SaslException("Invalid OAUTHBEARER client first message: 'auth' not specified");
        }
        Matcher bearer = AUTH.matcher(auth);
        if (!bearer.matches()) {
            throw new SaslException("Invalid OAUTHBEARER client first message: invalid 'auth' format");
        }
        if (!bearer.group("scheme").equalsIgnoreCase("bearer")) {
            throw new SaslException("Invalid scheme in OAUTHBEARER client first message: " + bearer.group("scheme"));
        }
        UnsecuredJwsValidator.Validated valid;
        try {
            valid = validator.validate(bearer.group("token"), wallClockMs.getAsLong());
        } catch (UnsecuredJwsValidator.InvalidToken e) {
            String challenge = e.insufficientScope()
                    ? "{\"status\":\"insufficient_scope\", \"scope\":\"" + validator.requiredScope() + "\"}"
                    : "{\"status\":\"invalid_token\"}";
            pendingFailure = new SaslException(challenge, new SaslException(e.getMessage()));
            return challenge.getBytes(StandardCharsets.UTF_8);
        }
        String authzid = message.group("authzid");
        if (authzid != null && !authzid.equals(valid.principalName())) {
            throw new SaslException("Authentication failed: Client requested an authorization id (" + authzid
                    + ") that is different from the token's principal name (" + valid.principalName() + ")");
        }
        principal = "User:" + valid.principalName();
        expiresAtMs = valid.expiresAtMs();
        return new byte[0];
    }

    @Override
    public boolean complete() {
        return principal != null;
    }

    @Override
    public String principal() {
        return principal;
    }

    @Override
    public long credentialLifetimeMs() {
        return complete() ? Math.max(0, expiresAtMs - wallClockMs.getAsLong()) : -1;
    }
}
