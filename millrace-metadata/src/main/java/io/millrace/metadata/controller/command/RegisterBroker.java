package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.records.BrokerEndpoint;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A broker starting up registers; {@code incarnationId} is new at every process start. The reply
 * carries the broker epoch its heartbeats must quote. The broker starts fenced.
 */
public record RegisterBroker(int brokerId, Uuid incarnationId, List<BrokerEndpoint> endpoints, String rack)
        implements ControllerCommand<RegisterBroker.Reply> {
    public record Reply(ApiError error, long brokerEpoch) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
