package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;

/**
 * Sent every broker.heartbeat.interval.ms. {@code wantShutdown} asks for a controlled shutdown:
 * the controller moves leadership away and answers {@code shouldShutdown} once it has.
 * {@code storageFailing} says the broker's logs cannot be written (a full disk): the controller
 * fences it, moving its leadership away, and keeps it fenced until its heartbeats stop saying so
 * (as Kafka takes a failed log directory offline).
 *
 * @param metadataOffset the record count of the broker's latest metadata image
 */
public record BrokerHeartbeat(int brokerId, long brokerEpoch, long metadataOffset, boolean wantShutdown,
                              boolean storageFailing)
        implements ControllerCommand<BrokerHeartbeat.Reply> {
    /** A heartbeat from a broker whose logs can be written. */
    public BrokerHeartbeat(int brokerId, long brokerEpoch, long metadataOffset, boolean wantShutdown) {
        this(brokerId, brokerEpoch, metadataOffset, wantShutdown, false);
    }

    /** error STALE_BROKER_EPOCH: register again. */
    public record Reply(ApiError error, boolean fenced, boolean inControlledShutdown, boolean shouldShutdown) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
