package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramArgumentTest {
    @Test
    void aPasswordGivesARandomlySaltedCredentialAtKafkasDefaultIterations() throws Exception {
        ScramCredentialRecord r = ScramArgument.parse("SCRAM-SHA-256=[name=alice,password=alice-secret]");
        assertEquals("alice", r.user());
        assertEquals(ScramMechanism.SCRAM_SHA_256, r.mechanism());
        assertEquals(4096, r.iterations());
        assertEquals(32, r.salt().length);
        byte[] salted = r.mechanism().saltedPassword("alice-secret", r.salt(), 4096);
        assertArrayEquals(r.mechanism().storedKey(r.mechanism().clientKey(salted)), r.storedKey());
        assertArrayEquals(r.mechanism().serverKey(salted), r.serverKey());
    }

    @Test
    void aSaltedPasswordWithItsSaltAndQuotedValuesAsKafkaWritesThem() throws Exception {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_512;
        byte[] salt = "some-salt".getBytes();
        byte[] salted = m.saltedPassword("pw", salt, 8192);
        String b64 = Base64.getEncoder().encodeToString(salted);
        ScramCredentialRecord r = ScramArgument.parse("SCRAM-SHA-512=[name=bob,iterations=8192,salt=\""
                + Base64.getEncoder().encodeToString(salt) + "\",saltedpassword=\"" + b64 + "\"]");
        assertArrayEquals(salt, r.salt());
        assertEquals(8192, r.iterations());
        assertArrayEquals(m.serverKey(salted), r.serverKey());
        assertEquals(r, ScramArgument.parse("SCRAM-SHA-512=[name=bob,password=pw,iterations=8192,salt="
                + Base64.getEncoder().encodeToString(salt) + "]"));
    }

    @Test
    void mistakesAreOneLineUsageErrors() {
        for (String bad : new String[] {"SCRAM-SHA-1=[name=a,password=b]", "SCRAM-SHA-256", "SCRAM-SHA-256=name=a",
                "SCRAM-SHA-256=[password=b]", "SCRAM-SHA-256=[name=a]", "SCRAM-SHA-256=[name=a,saltedpassword=AAAA]",
                "SCRAM-SHA-256=[name=a,password=b,iterations=100]", "SCRAM-SHA-256=[name=a,password=b,colour=red]",
                "SCRAM-SHA-256=[name=a,password=b,salt=***]"}) {
            UsageException e = assertThrows(UsageException.class, () -> ScramArgument.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--add-scram"), e.getMessage());
        }
    }
}
