package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * AlterUserScramCredentials: set (with the salted password the client computed) or delete users'
 * SCRAM credentials. Mechanisms are Kafka's type bytes, unknown ones included, so the controller
 * answers them as Kafka does.
 */
public record AlterScramCredentials(List<Upsertion> upsertions, List<Deletion> deletions)
        implements ControllerCommand<AlterScramCredentials.Reply> {

    /** Equality compares the arrays' contents; {@link #toString} hides them (the salted password is a secret). */
    public record Upsertion(String user, byte mechanism, int iterations, byte[] salt, byte[] saltedPassword) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Upsertion u && Objects.equals(user, u.user) && mechanism == u.mechanism
                    && iterations == u.iterations && Arrays.equals(salt, u.salt)
                    && Arrays.equals(saltedPassword, u.saltedPassword);
        }

        @Override
        public int hashCode() {
            return Objects.hash(user, mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(saltedPassword));
        }

        @Override
        public String toString() {
            return "Upsertion[user=" + user + ", mechanism=" + mechanism + ", iterations=" + iterations + "]";
        }
    }

    public record Deletion(String user, byte mechanism) {
    }

    /** One result per user named in the request. */
    public record UserResult(String user, ApiError error) {
    }

    public record Reply(List<UserResult> results) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
