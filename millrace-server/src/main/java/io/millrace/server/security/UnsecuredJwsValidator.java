package io.millrace.server.security;

import io.millrace.common.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates an unsecured JWT (KIP-255: a JWS with algorithm "none" and no signature) as the
 * OAUTHBEARER token of a client, with the options of Kafka's unsecured validator, read from the
 * OAuthBearerLoginModule line of the listener's JAAS configuration:
 * <ul>
 *   <li>{@code unsecuredValidatorPrincipalClaimName}: the string claim naming the principal ({@code sub});</li>
 *   <li>{@code unsecuredValidatorScopeClaimName}: the string or string-list claim holding the scope ({@code scope});</li>
 *   <li>{@code unsecuredValidatorRequiredScope}: space-separated scope values the token must all hold (none);</li>
 *   <li>{@code unsecuredValidatorAllowableClockSkewMs}: clock skew allowed on {@code exp} and {@code iat} (0).</li>
 * </ul>
 * The token must have a numeric {@code exp} (seconds since the epoch) that is not past, an
 * {@code iat}, when present, not in the future and before {@code exp}. Meant for tests and
 * development, as in Kafka: anybody can write such a token. Immutable and thread-safe.
 */
final class UnsecuredJwsValidator {
    private static final String PREFIX = "unsecuredValidator";

    private final String principalClaim;
    private final String scopeClaim;
    private final List<String> requiredScope;
    private final long allowableClockSkewMs;

    /** A valid token: its principal's name and when it expires. */
    record Validated(String principalName, long expiresAtMs) {
    }

    /** Why a token is refused; {@code insufficientScope} when only its scope fell short. */
    static final class InvalidToken extends Exception {
        private final boolean insufficientScope;

        InvalidToken(String reason, boolean insufficientScope) {
            super(reason);
            this.insufficientScope = insufficientScope;
        }

        boolean insufficientScope() {
            return insufficientScope;
        }
    }

    private UnsecuredJwsValidator(String principalClaim, String scopeClaim, List<String> requiredScope,
                                  long allowableClockSkewMs) {
        this.principalClaim = principalClaim;
        this.scopeClaim = scopeClaim;
        this.requiredScope = List.copyOf(requiredScope);
        this.allowableClockSkewMs = allowableClockSkewMs;
    }

    /**
     * The validator the options of {@code key}'s JAAS configuration describe.
     *
     * @throws ConfigException naming the key when the clock skew is not a non-negative integer
     */
    static UnsecuredJwsValidator of(String key, Map<String, String> options) {
        String skew = blankToNull(options.get(PREFIX + "AllowableClockSkewMs"));
        long skewMs;
        try {
            skewMs = skew == null ? 0 : Integer.parseInt(skew);
        } catch (NumberFormatException e) {
            skewMs = -1;
        }
        if (skewMs < 0) {
            throw new ConfigException(key + ": " + PREFIX + "AllowableClockSkewMs must be a non-negative integer, was '"
                    + skew + "'");
        }
        String principal = blankToNull(options.get(PREFIX + "PrincipalClaimName"));
        String scope = blankToNull(options.get(PREFIX + "ScopeClaimName"));
        String required = blankToNull(options.get(PREFIX + "RequiredScope"));
        return new UnsecuredJwsValidator(principal == null ? "sub" : principal, scope == null ? "scope" : scope,
                required == null ? List.of() : Arrays.stream(required.split(" ")).filter(s -> !s.isEmpty()).toList(),
                skewMs);
    }

    /** The required scope, as the error challenge names it. */
    List<String> requiredScope() {
        return requiredScope;
    }

    /**
     * Checks {@code token} at {@code nowMs}.
     *
     * @throws InvalidToken saying why it is refused
     */
    Validated validate(String token, long nowMs) throws InvalidToken {
        if (token.contains("..")) {
            throw new InvalidToken("Malformed compact serialization contains '..'", false);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidToken("Unsecured JWS compact serializations must have 3 dot-separated Base64URL-encoded "
                    + "values", false);
        }
        Map<String, Object> header = decode(parts[0]);
        Map<String, Object> claims = decode(parts[1]);
        if (!"none".equals(header.get("alg"))) {
            throw new InvalidToken("Unsecured JWS must have 'none' for an algorithm", false);
        }
        if (!parts[2].isEmpty()) {
            throw new InvalidToken("Unsecured JWS must not contain a digital signature", false);
        }
        Double expires = number(claims, "exp");
        if (expires == null) {
            throw new InvalidToken("No expiration time in JWT", false);
        }
        if (!(claims.get(principalClaim) instanceof String principal) || principal.isBlank()) {
            throw new InvalidToken("No principal name in JWT claim: " + principalClaim, false);
        }
        Double issued = number(claims, "iat");
        if (issued != null && 1000 * issued > nowMs + allowableClockSkewMs) {
            throw new InvalidToken("The Issued At value (" + issued + " seconds) was after the indicated time (" + nowMs
                    + " ms) plus allowable clock skew (" + allowableClockSkewMs + " ms)", false);
        }
        if (nowMs - allowableClockSkewMs >= 1000 * expires) {
            throw new InvalidToken("The indicated time (" + nowMs + " ms) minus allowable clock skew ("
                    + allowableClockSkewMs + " ms) was on or after the Expiration Time value (" + expires + " seconds)",
                    false);
        }
        if (issued != null && expires <= issued) {
            throw new InvalidToken("The Expiration Time time (" + expires + " seconds) was not after the Issued At time ("
                    + issued + " seconds)", false);
        }
        Set<String> scope = scope(claims);
        for (String needed : requiredScope) {
            if (!scope.contains(needed)) {
                throw new InvalidToken("The provided scope (" + scope + ") was missing a required scope (" + needed
                        + "). All required scope elements: " + requiredScope, true);
            }
        }
        return new Validated(principal, Math.round(expires * 1000));
    }

    private static Map<String, Object> decode(String part) throws InvalidToken {
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("malformed Base64 URL encoded value", false);
        }
        try {
            return JsonObjectParser.parseObject(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("malformed JSON", false);
        }
    }

    private static Double number(Map<String, Object> claims, String name) throws InvalidToken {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw new InvalidToken("The '" + name + "' claim was not of type Number: "
                    + value.getClass().getSimpleName(), false);
        }
        return number.doubleValue();
    }

    /** The scope claim: a string is one scope value, a list holds several (blank ones ignored), as in Kafka. */
    private Set<String> scope(Map<String, Object> claims) throws InvalidToken {
        Object value = claims.get(scopeClaim);
        Set<String> scope = new LinkedHashSet<>();
        if (value instanceof String text) {
            if (!text.isBlank()) {
                scope.add(text.trim());
            }
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element != null && !String.valueOf(element).isBlank()) {
                    scope.add(String.valueOf(element).trim());
                }
            }
        } else if (value != null) {
            throw new InvalidToken("The '" + scopeClaim + "' claim was not of type List: "
                    + value.getClass().getSimpleName(), false);
        }
        return scope;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
