package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;

/**
 * Sent every broker.heartbeat.interval.ms. {@code wantShutdown} asks for a controlled shutdown:
 * the controller moves leadership away and answers {@code shouldShutdown} once it has.
 *
 * @param metadataOffset the record count of the broker's latest metadata image
 */
public record BrokerHeartbeat(int brokerId, long brokerEpoch, long metadataOffset, boolean wantShutdown)
        implements ControllerCommand<BrokerHeartbeat.Reply> {
    /** error STALE_BROKER_EPOCH: register again. */
    public record Reply(ApiError error, boolean fenced, boolean inControlledShutdown, boolean shouldShutdown) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
