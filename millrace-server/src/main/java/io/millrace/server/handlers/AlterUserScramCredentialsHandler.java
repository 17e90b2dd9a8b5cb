package io.millrace.server.handlers;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.AlterScramCredentials;
import io.millrace.metadata.controller.command.AlterScramCredentials.Deletion;
import io.millrace.metadata.controller.command.AlterScramCredentials.Upsertion;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterUserScramCredentials: hands the upsertions (salted passwords the client computed) and
 * deletions to the controller, which validates them and writes the credential records
 * (ScramCommands). Stateless.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequestData> {
    private final ControllerChannel controller;

    public AlterUserScramCredentialsHandler(ControllerChannel controller) {
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<AlterUserScramCredentialsResponseData> handle(RequestContext context,
                                                                         AlterUserScramCredentialsRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.ALTER)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        AlterScramCredentials command = new AlterScramCredentials(
                request.upsertions().stream().map(u -> new Upsertion(u.name(), u.mechanism(), u.iterations(),
                        u.salt(), u.saltedPassword())).toList(),
                request.deletions().stream().map(d -> new Deletion(d.name(), d.mechanism())).toList());
        return controller.submit(command).thenApply(reply -> {
            AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
            reply.results().forEach(r -> response.results().add(new AlterUserScramCredentialsResult()
                    .setUser(r.user()).setErrorCode(r.error().error().code()).setErrorMessage(r.error().message())));
            return response;
        });
    }
}
