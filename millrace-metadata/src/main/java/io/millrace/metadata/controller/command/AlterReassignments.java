package io.millrace.metadata.controller.command;

import java.util.List;

/** Starts (or, with null target replicas, cancels) partition reassignments; one error per item, in order. */
public record AlterReassignments(List<Reassignment> reassignments) implements ControllerCommand<Errors> {

    public record Reassignment(String topic, int partition, List<Integer> targetReplicas) {
    }

    @Override
    public Class<Errors> replyType() {
        return Errors.class;
    }
}
