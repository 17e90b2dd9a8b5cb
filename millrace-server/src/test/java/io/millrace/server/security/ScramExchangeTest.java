package io.millrace.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.security.sasl.SaslException;
import org.junit.jupiter.api.Test;

/** The server side of SCRAM against RFC 7677's SCRAM-SHA-256 example exchange. */
class ScramExchangeTest {
    private static final ScramMechanism SHA256 = ScramMechanism.SCRAM_SHA_256;
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE;
    private static final String CLIENT_FINAL = "c=biws,r=" + NONCE + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

    private static ScramCredentialRecord credential(String password) {
        byte[] salted = SHA256.saltedPassword(password, SALT, 4096);
        return new ScramCredentialRecord("user", SHA256, SALT, SHA256.storedKey(SHA256.clientKey(salted)),
                SHA256.serverKey(salted), 4096);
    }

    private static ScramExchange exchange(String storedPassword) {
        ScramCredentialRecord stored = credential(storedPassword);
        return new ScramExchange(SHA256, (user, m) -> user.equals("user") && m == SHA256
                ? Optional.of(stored) : Optional.empty(), () -> SERVER_NONCE);
    }

    private static String evaluate(ScramExchange exchange, String message) throws SaslException {
        return new String(exchange.evaluate(message.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677ExampleAuthenticates() throws SaslException {
        ScramExchange exchange = exchange("pencil");
        assertEquals("r=" + NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", evaluate(exchange, CLIENT_FIRST));
        assertFalse(exchange.complete());
        assertNull(exchange.principal());
        // RFC 7677 prints "v=6rriTRBi23WpRR/wcz3D/qpT8ON8WBXJRnGjoEeDnQg=", a misprint its errata correct to this;
        // kafka-clients checks the server signature in SaslScramIT
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", evaluate(exchange, CLIENT_FINAL));
        assertTrue(exchange.complete());
        assertEquals("User:user", exchange.principal());
        assertThrows(SaslException.class, () -> evaluate(exchange, CLIENT_FINAL), "no third round");
    }

    @Test
    void aWrongPasswordIsRefused() throws SaslException {
        ScramExchange exchange = exchange("not-pencil");
        evaluate(exchange, CLIENT_FIRST);
        SaslException e = assertThrows(SaslException.class, () -> evaluate(exchange, CLIENT_FINAL));
        assertEquals("Authentication failed: Invalid user credentials", e.getMessage());
        assertFalse(exchange.complete());
    }

    @Test
    void unknownUsersTamperedNoncesAndChannelBindingAreRefused() throws SaslException {
        assertThrows(SaslException.class, () -> evaluate(exchange("pencil"), "n,,n=nobody,r=abc"));
        assertThrows(SaslException.class, () -> evaluate(exchange("pencil"), "p=tls-unique,,n=user,r=abc"));
        assertThrows(SaslException.class, () -> evaluate(exchange("pencil"), "n,a=admin,n=user,r=abc"));
        assertThrows(SaslException.class, () -> evaluate(exchange("pencil"), "n,,n=user,r=abc,tokenauth=true"));
        assertThrows(SaslException.class, () -> evaluate(exchange("pencil"), "garbage"));
        ScramExchange exchange = exchange("pencil");
        evaluate(exchange, CLIENT_FIRST);
        assertThrows(SaslException.class, () -> evaluate(exchange, CLIENT_FINAL.replace(SERVER_NONCE, "%hvYDpWUa2")));
    }
}
