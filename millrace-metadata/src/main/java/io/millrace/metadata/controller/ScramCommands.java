package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.AlterScramCredentials;
import io.millrace.metadata.controller.command.AlterScramCredentials.Deletion;
import io.millrace.metadata.controller.command.AlterScramCredentials.UserResult;
import io.millrace.metadata.controller.command.AlterScramCredentials.Upsertion;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.RemoveScramCredentialRecord;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.protocol.Errors;

/**
 * SCRAM credentials (AlterUserScramCredentials) as a pure function of the image, with Kafka's
 * validation and error codes: a user named twice in one request is DUPLICATE_RESOURCE, an empty
 * name or an iteration count outside [4096, 16384] UNACCEPTABLE_CREDENTIAL, an unknown mechanism
 * UNSUPPORTED_SASL_MECHANISM, deleting a credential that does not exist RESOURCE_NOT_FOUND. The
 * stored record keeps StoredKey and ServerKey derived from the salted password, not the salted
 * password itself. Stateless.
 */
final class ScramCommands {
    private static final String TWICE = "A user credential cannot be altered twice in the same request";

    private ScramCommands() {
    }

    static CommandResult<AlterScramCredentials.Reply> alter(MetadataImage image, AlterScramCredentials command) {
        Map<String, Deletion> deletions = new LinkedHashMap<>();
        Map<String, Upsertion> upsertions = new LinkedHashMap<>();
        Map<String, ApiError> errors = new LinkedHashMap<>();
        for (Deletion d : command.deletions()) {
            if (errors.containsKey(d.user())) {
                continue;
            }
            if (deletions.remove(d.user()) != null) {
                errors.put(d.user(), ApiError.of(Errors.DUPLICATE_RESOURCE, TWICE));
                continue;
            }
            ApiError error = validateDeletion(image, d);
            if (error.isSuccess()) {
                deletions.put(d.user(), d);
            } else {
                errors.put(d.user(), error);
            }
        }
        for (Upsertion u : command.upsertions()) {
            if (errors.containsKey(u.user())) {
                continue;
            }
            if (deletions.remove(u.user()) != null || upsertions.remove(u.user()) != null) {
                errors.put(u.user(), ApiError.of(Errors.DUPLICATE_RESOURCE, TWICE));
                continue;
            }
            ApiError error = validateUpsertion(u);
            if (error.isSuccess()) {
                upsertions.put(u.user(), u);
            } else {
                errors.put(u.user(), error);
            }
        }
        List<MetadataRecord> records = new ArrayList<>();
        List<UserResult> results = new ArrayList<>();
        for (Deletion d : deletions.values()) {
            records.add(new RemoveScramCredentialRecord(d.user(), ScramMechanism.fromType(d.mechanism()).orElseThrow()));
            results.add(new UserResult(d.user(), ApiError.NONE));
        }
        for (Upsertion u : upsertions.values()) {
            ScramMechanism mechanism = ScramMechanism.fromType(u.mechanism()).orElseThrow();
            byte[] storedKey = mechanism.storedKey(mechanism.clientKey(u.saltedPassword()));
            records.add(new ScramCredentialRecord(u.user(), mechanism, u.salt(), storedKey,
                    mechanism.serverKey(u.saltedPassword()), u.iterations()));
            results.add(new UserResult(u.user(), ApiError.NONE));
        }
        errors.forEach((user, error) -> results.add(new UserResult(user, error)));
        String event = records.isEmpty() ? null : "SCRAM credentials altered: " + records.size() + " change(s) for "
                + (deletions.size() + upsertions.size()) + " user(s)";
        return new CommandResult<>(records, new AlterScramCredentials.Reply(results), event);
    }

    private static ApiError validateUpsertion(Upsertion u) {
        ApiError error = validateNameAndMechanism(u.user(), u.mechanism());
        if (!error.isSuccess()) {
            return error;
        }
        if (u.iterations() < ScramMechanism.MIN_ITERATIONS) {
            return ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        }
        if (u.iterations() > ScramMechanism.MAX_ITERATIONS) {
            return ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        if (u.salt() == null || u.salt().length == 0 || u.saltedPassword() == null || u.saltedPassword().length == 0) {
            return ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "Salt and salted password must not be empty");
        }
        return ApiError.NONE;
    }

    private static ApiError validateDeletion(MetadataImage image, Deletion d) {
        ApiError error = validateNameAndMechanism(d.user(), d.mechanism());
        if (!error.isSuccess()) {
            return error;
        }
        if (image.scramCredential(d.user(), ScramMechanism.fromType(d.mechanism()).orElseThrow()).isEmpty()) {
            return ApiError.of(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
        }
        return ApiError.NONE;
    }

    private static ApiError validateNameAndMechanism(String user, byte mechanism) {
        if (user == null || user.isEmpty()) {
            return ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        Optional<ScramMechanism> known = ScramMechanism.fromType(mechanism);
        if (known.isEmpty()) {
            return ApiError.of(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        return ApiError.NONE;
    }
}
