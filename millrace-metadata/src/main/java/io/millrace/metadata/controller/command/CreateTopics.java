package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.TopicSpec;
import java.util.List;

public record CreateTopics(List<TopicSpec> topics, boolean validateOnly) implements ControllerCommand<CreateTopics.Reply> {
    public record Reply(List<io.millrace.metadata.controller.CreateTopicResult> results) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
