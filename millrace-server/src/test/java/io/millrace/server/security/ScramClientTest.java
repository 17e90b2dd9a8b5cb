package io.millrace.server.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import javax.security.sasl.SaslException;
import org.junit.jupiter.api.Test;

/** The client side of SCRAM: RFC 7677's example, and both mechanisms against our server side. */
class ScramClientTest {
    private static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677ExampleGivesItsProofAndChecksTheServerSignature() throws SaslException {
        ScramClient client = new ScramClient(ScramMechanism.SCRAM_SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", text(client.next(new byte[0])));
        assertEquals("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", text(client.next(bytes(SERVER_FIRST))));
        assertFalse(client.complete());
        assertNull(client.next(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        assertTrue(client.complete());
    }

    @Test
    void aWrongServerSignatureOrNonceFails() throws SaslException {
        ScramClient client = new ScramClient(ScramMechanism.SCRAM_SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        client.next(new byte[0]);
        client.next(bytes(SERVER_FIRST));
        assertThrows(SaslException.class, () -> client.next(bytes("v=AAAA")));
        ScramClient other = new ScramClient(ScramMechanism.SCRAM_SHA_256, "user", "pencil", "someOtherNonce");
        other.next(new byte[0]);
        assertThrows(SaslException.class, () -> other.next(bytes(SERVER_FIRST)), "the nonce must extend ours");
        ScramClient few = new ScramClient(ScramMechanism.SCRAM_SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        few.next(new byte[0]);
        assertThrows(SaslException.class, () -> few.next(bytes(SERVER_FIRST.replace("i=4096", "i=1"))));
    }

    @Test
    void bothMechanismsAuthenticateAgainstTheServerSide() throws SaslException {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            byte[] salted = mechanism.saltedPassword("s3cr=t,x", salt, 4096);
            ScramCredentialRecord stored = new ScramCredentialRecord("bro,ker=1", mechanism, salt,
                    mechanism.storedKey(mechanism.clientKey(salted)), mechanism.serverKey(salted), 4096);
            ScramExchange server = new ScramExchange(mechanism, (user, m) -> user.equals("bro,ker=1") && m == mechanism
                    ? Optional.of(stored) : Optional.empty());
            ScramClient client = new ScramClient(mechanism, "bro,ker=1", "s3cr=t,x");
            byte[] token = client.next(new byte[0]);
            while (token != null) {
                token = client.next(server.evaluate(token));
            }
            assertTrue(server.complete());
            assertTrue(client.complete());
            assertEquals("User:bro,ker=1", server.principal());

            ScramClient wrong = new ScramClient(mechanism, "bro,ker=1", "wrong");
            ScramExchange refusing = new ScramExchange(mechanism, (user, m) -> Optional.of(stored));
            byte[] serverFirst = refusing.evaluate(wrong.next(new byte[0]));
            byte[] clientFinal = wrong.next(serverFirst);
            SaslException e = assertThrows(SaslException.class, () -> refusing.evaluate(clientFinal));
            assertArrayEquals(bytes("Authentication failed: Invalid user credentials"), bytes(e.getMessage()));
        }
    }
}
