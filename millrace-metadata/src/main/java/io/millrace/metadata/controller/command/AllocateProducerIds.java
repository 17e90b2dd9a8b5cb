package io.millrace.metadata.controller.command;

/** Hands {@code brokerId} a block of {@code size} producer ids. */
public record AllocateProducerIds(int brokerId, int size) implements ControllerCommand<AllocateProducerIds.Reply> {
    public record Reply(long firstProducerId, int size) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
