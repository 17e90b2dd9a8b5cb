package io.millrace.metadata.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user's SCRAM credential for one mechanism was set (created or replaced). Holds what RFC 5802
 * lets a server keep: salt, StoredKey, ServerKey and the iteration count — never the password nor
 * the salted password. Equality compares the byte arrays' contents; {@link #toString} hides them.
 */
public record ScramCredentialRecord(String user, ScramMechanism mechanism, byte[] salt, byte[] storedKey,
                                    byte[] serverKey, int iterations) implements MetadataRecord {

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentialRecord r && user.equals(r.user) && mechanism == r.mechanism
                && iterations == r.iterations && Arrays.equals(salt, r.salt) && Arrays.equals(storedKey, r.storedKey)
                && Arrays.equals(serverKey, r.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey),
                Arrays.hashCode(serverKey));
    }

    @Override
    public String toString() {
        return "ScramCredentialRecord[user=" + user + ", mechanism=" + mechanism.mechanismName() + ", iterations="
                + iterations + "]";
    }
}
