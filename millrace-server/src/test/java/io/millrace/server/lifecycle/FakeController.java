package io.millrace.server.lifecycle;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.ControllerCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A controller channel answering each command with {@code responder}; records the commands. Thread-safe. */
final class FakeController implements ControllerChannel {
    final List<ControllerCommand<?>> commands = new CopyOnWriteArrayList<>();
    private final Function<ControllerCommand<?>, CompletableFuture<?>> responder;

    FakeController(Function<ControllerCommand<?>, CompletableFuture<?>> responder) {
        this.responder = responder;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command) {
        commands.add(command);
        return (CompletableFuture<R>) responder.apply(command);
    }

    <C> List<C> commandsOf(Class<C> type) {
        return commands.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
