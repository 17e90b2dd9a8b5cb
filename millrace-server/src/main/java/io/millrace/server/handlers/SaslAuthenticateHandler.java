package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslAuthenticate where no authentication is under way (see {@link SaslHandshakeHandler}):
 * answers ILLEGAL_SASL_STATE. Stateless.
 */
public final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequestData> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<SaslAuthenticateResponseData> handle(RequestContext context,
                                                                  SaslAuthenticateRequestData request) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("No SASL authentication is under way on this connection")
                .setAuthBytes(new byte[0]));
    }
}
