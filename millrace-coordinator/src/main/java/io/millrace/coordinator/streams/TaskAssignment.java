package io.millrace.coordinator.streams;

/** The tasks the assignor gives one member (record key type 21). */
public record TaskAssignment(Tasks active, Tasks standby, Tasks warmup) {
    public static final TaskAssignment EMPTY = new TaskAssignment(Tasks.EMPTY, Tasks.EMPTY, Tasks.EMPTY);
}
