package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import java.util.List;

/** Grows a topic to {@code totalCount} partitions; {@code assignments} empty for automatic placement. */
public record CreatePartitions(String topic, int totalCount, List<List<Integer>> assignments, boolean validateOnly)
        implements ControllerCommand<ApiError> {
    @Override
    public Class<ApiError> replyType() {
        return ApiError.class;
    }
}
