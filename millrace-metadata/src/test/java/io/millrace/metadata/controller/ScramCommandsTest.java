package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.after;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.command.AlterScramCredentials;
import io.millrace.metadata.controller.command.AlterScramCredentials.Deletion;
import io.millrace.metadata.controller.command.AlterScramCredentials.UserResult;
import io.millrace.metadata.controller.command.AlterScramCredentials.Upsertion;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ScramCommandsTest {
    private static final byte SHA256 = ScramMechanism.SCRAM_SHA_256.type();
    private static final byte SHA512 = ScramMechanism.SCRAM_SHA_512.type();
    private static final byte[] SALT = {1, 2, 3};
    private static final byte[] SALTED = {9, 8, 7, 6};

    @Test
    void upsertStoresDerivedKeysNotTheSaltedPasswordAndDeleteRemoves() {
        CommandResult<AlterScramCredentials.Reply> set = ScramCommands.alter(MetadataImage.EMPTY,
                new AlterScramCredentials(List.of(new Upsertion("alice", SHA256, 8192, SALT, SALTED)), List.of()));
        assertEquals(Map.of("alice", Errors.NONE), errors(set));
        MetadataImage image = after(MetadataImage.EMPTY, set);
        ScramCredentialRecord stored = image.scramCredential("alice", ScramMechanism.SCRAM_SHA_256).orElseThrow();
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        assertArrayEquals(m.hash(m.hmac(SALTED, "Client Key".getBytes())), stored.storedKey());
        assertArrayEquals(m.hmac(SALTED, "Server Key".getBytes()), stored.serverKey());
        assertArrayEquals(SALT, stored.salt());
        assertEquals(8192, stored.iterations());

        CommandResult<AlterScramCredentials.Reply> delete = ScramCommands.alter(image,
                new AlterScramCredentials(List.of(), List.of(new Deletion("alice", SHA256))));
        assertEquals(Map.of("alice", Errors.NONE), errors(delete));
        assertTrue(after(image, delete).scramCredentials().isEmpty());
    }

    @Test
    void validatesAsKafkaDoes() {
        CommandResult<AlterScramCredentials.Reply> r = ScramCommands.alter(MetadataImage.EMPTY,
                new AlterScramCredentials(List.of(
                        new Upsertion("few", SHA256, 4095, SALT, SALTED),
                        new Upsertion("many", SHA512, 16385, SALT, SALTED),
                        new Upsertion("", SHA256, 8192, SALT, SALTED),
                        new Upsertion("unknown", (byte) 7, 8192, SALT, SALTED),
                        new Upsertion("twice", SHA256, 8192, SALT, SALTED),
                        new Upsertion("twice", SHA512, 8192, SALT, SALTED),
                        new Upsertion("ok", SHA512, 16384, SALT, SALTED)),
                        List.of(new Deletion("missing", SHA256))));
        assertEquals(Map.of("few", Errors.UNACCEPTABLE_CREDENTIAL, "many", Errors.UNACCEPTABLE_CREDENTIAL,
                "", Errors.UNACCEPTABLE_CREDENTIAL, "unknown", Errors.UNSUPPORTED_SASL_MECHANISM,
                "twice", Errors.DUPLICATE_RESOURCE, "missing", Errors.RESOURCE_NOT_FOUND, "ok", Errors.NONE), errors(r));
        assertEquals(1, r.records().size(), "only the valid user is written");
    }

    private static Map<String, Errors> errors(CommandResult<AlterScramCredentials.Reply> result) {
        return result.reply().results().stream().collect(Collectors.toMap(UserResult::user, u -> u.error().error()));
    }
}
