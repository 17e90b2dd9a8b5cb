package io.millrace.metadata.controller.command;

import java.util.List;
import org.apache.kafka.common.Uuid;

/** Deletes topics by id; the reply has one error per id, in order. */
public record DeleteTopics(List<Uuid> topicIds) implements ControllerCommand<Errors> {
    @Override
    public Class<Errors> replyType() {
        return Errors.class;
    }
}
