package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import java.util.List;

/**
 * AlterUserScramCredentials: set (with the salted password the client computed) or delete users'
 * SCRAM credentials. Mechanisms are Kafka's type bytes, unknown ones included, so the controller
 * answers them as Kafka does.
 */
public record AlterScramCredentials(List<Upsertion> upsertions, List<Deletion> deletions)
        implements ControllerCommand<AlterScramCredentials.Reply> {

    public record Upsertion(String user, byte mechanism, int iterations, byte[] salt, byte[] saltedPassword) {
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
