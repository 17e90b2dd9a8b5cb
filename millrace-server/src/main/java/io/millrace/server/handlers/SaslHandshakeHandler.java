package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslHandshake where no authentication is under way: on a listener without SASL, or again after
 * a connection authenticated with SaslAuthenticate v0 or bare tokens (such a client cannot
 * re-authenticate). Authentication and re-authentication (KIP-368) on a SASL listener are the
 * network layer's (SaslAuthenticator), before any handler. Answers ILLEGAL_SASL_STATE, as Kafka
 * does. Stateless.
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequestData> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<SaslHandshakeResponseData> handle(RequestContext context, SaslHandshakeRequestData request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code()).setMechanisms(List.of()));
    }
}
