package io.millrace.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.security.sasl.SaslException;
import org.junit.jupiter.api.Test;

/** SASL/OAUTHBEARER with unsecured JWTs, on a fixed clock: RFC 7628 framing and Kafka's validation rules. */
class OAuthBearerExchangeTest {
    private static final long NOW_MS = 1_700_000_000_000L;
    private static final long NOW_S = NOW_MS / 1000;
    private static final UnsecuredJwsValidator REQUIRES_KAFKA = UnsecuredJwsValidator.of("k",
            Map.of("unsecuredValidatorRequiredScope", "kafka"));

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String token(String header, String claims) {
        return base64(header) + "." + base64(claims) + ".";
    }

    private static String claims(String sub, long exp, String scopeJson) {
        return "{\"sub\":\"" + sub + "\",\"iat\":" + (NOW_S - 10) + ",\"exp\":" + exp
                + (scopeJson == null ? "" : ",\"scope\":" + scopeJson) + "}";
    }

    static byte[] initialResponse(String authzid, String token) {
        return ("n," + (authzid == null ? "" : "a=" + authzid) + ",\u0001auth=Bearer " + token
                + "\u0001traceId=abc\u0001\u0001").getBytes(StandardCharsets.UTF_8);
    }

    private static OAuthBearerExchange exchange(UnsecuredJwsValidator validator) {
        return new OAuthBearerExchange(validator, () -> NOW_MS);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aValidTokenAuthenticatesItsSubjectForAsLongAsItLasts() throws SaslException {
        OAuthBearerExchange exchange = exchange(REQUIRES_KAFKA);
        String token = token("{\"alg\":\"none\"}", claims("alice", NOW_S + 60, "[\"kafka\",\"other\"]"));
        assertEquals("", text(exchange.evaluate(initialResponse("alice", token))));
        assertTrue(exchange.complete());
        assertEquals("User:alice", exchange.principal());
        assertEquals(60_000, exchange.credentialLifetimeMs());
    }

    @Test
    void anInvalidTokenGetsTheErrorChallengeThenFails() throws SaslException {
        List<String> invalid = List.of(
                token("{\"alg\":\"none\"}", claims("alice", NOW_S, "\"kafka\"")), // expired
                token("{\"alg\":\"HS256\"}", claims("alice", NOW_S + 60, "\"kafka\"")),
                token("{\"alg\":\"none\"}", claims("alice", NOW_S + 60, "\"kafka\"")) + "c2ln",
                token("{\"alg\":\"none\"}", "{\"exp\":" + (NOW_S + 60) + "}"), // no sub
                token("{\"alg\":\"none\"}", "{\"sub\":\"alice\"}"), // no exp
                token("{\"alg\":\"none\"}", "{\"sub\":\"alice\",\"exp\":\"soon\"}"),
                token("{\"alg\":\"none\"}", "{\"sub\":\"alice\",\"iat\":" + (NOW_S + 60) + ",\"exp\":" + (NOW_S + 90)
                        + ",\"scope\":\"kafka\"}"), // issued in the future
                token("{\"alg\":\"none\"", claims("alice", NOW_S + 60, "\"kafka\"")), // malformed JSON
                "e30.e30.e30.");
        for (String token : invalid) {
            OAuthBearerExchange exchange = exchange(REQUIRES_KAFKA);
            assertEquals("{\"status\":\"invalid_token\"}", text(exchange.evaluate(initialResponse(null, token))), token);
            assertFalse(exchange.complete());
            SaslException e = assertThrows(SaslException.class, () -> exchange.evaluate(new byte[] {1}));
            assertEquals("{\"status\":\"invalid_token\"}", e.getMessage());
        }
    }

    @Test
    void aMissingRequiredScopeIsInsufficientScope() throws SaslException {
        OAuthBearerExchange exchange = exchange(REQUIRES_KAFKA);
        String token = token("{\"alg\":\"none\"}", claims("alice", NOW_S + 60, "[\"other\"]"));
        assertEquals("{\"status\":\"insufficient_scope\", \"scope\":\"[kafka]\"}",
                text(exchange.evaluate(initialResponse(null, token))));
        SaslException e = assertThrows(SaslException.class, () -> exchange.evaluate(new byte[] {1}));
        assertTrue(e.getCause().getMessage().contains("missing a required scope (kafka)"), e.getCause().getMessage());
        // Without a required scope, no scope at all will do.
        OAuthBearerExchange open = exchange(UnsecuredJwsValidator.of("k", Map.of()));
        open.evaluate(initialResponse(null, token("{\"alg\":\"none\"}", claims("bob", NOW_S + 60, null))));
        assertEquals("User:bob", open.principal());
    }

    @Test
    void theValidatorsOptionsNameThePrincipalClaimAndAllowClockSkew() throws SaslException {
        UnsecuredJwsValidator validator = UnsecuredJwsValidator.of("k", Map.of(
                "unsecuredValidatorPrincipalClaimName", "client_id", "unsecuredValidatorScopeClaimName", "scp",
                "unsecuredValidatorRequiredScope", "read write", "unsecuredValidatorAllowableClockSkewMs", "5000"));
        OAuthBearerExchange exchange = exchange(validator);
        exchange.evaluate(initialResponse(null, token("{\"alg\":\"none\"}", "{\"client_id\":\"svc\",\"exp\":"
                + (NOW_S - 2) + ",\"scp\":[\"read\",\"write\"]}")));
        assertEquals("User:svc", exchange.principal());
        assertEquals(0, exchange.credentialLifetimeMs());
        assertThrows(ConfigException.class, () -> UnsecuredJwsValidator.of("k",
                Map.of("unsecuredValidatorAllowableClockSkewMs", "-1")));
    }

    @Test
    void malformedMessagesAndAnotherAuthorizationIdFail() {
        String token = token("{\"alg\":\"none\"}", claims("alice", NOW_S + 60, "\"kafka\""));
        assertThrows(SaslException.class, () -> exchange(REQUIRES_KAFKA).evaluate(initialResponse("mallory", token)));
        assertThrows(SaslException.class, () -> exchange(REQUIRES_KAFKA).evaluate(
                ("n,,\u0001auth=Basic " + token + "\u0001\u0001").getBytes(StandardCharsets.UTF_8)));
        assertThrows(SaslException.class, () -> exchange(REQUIRES_KAFKA).evaluate(
                "n,,\u0001\u0001".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SaslException.class, () -> exchange(REQUIRES_KAFKA).evaluate(
                "garbage".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void jsonValuesAreRead() {
        assertEquals(Map.of("a", List.of(1L, 2.5, "x\"y\u00e9"), "b", Map.of("c", true), "d", "/"),
                JsonObjectParser.parseObject(" {\"a\": [1, 2.5, \"x\\\"y\\u00e9\"], \"b\": {\"c\": true}, "
                        + "\"d\": \"\\/\"} "));
        assertThrows(IllegalArgumentException.class, () -> JsonObjectParser.parseObject("[1]"));
        assertThrows(IllegalArgumentException.class, () -> JsonObjectParser.parseObject("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> JsonObjectParser.parseObject("{\"a\":"));
    }
}
