package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ConfigChange;
import java.util.List;

public record AlterConfigs(List<ConfigChange> changes, boolean validateOnly) implements ControllerCommand<ApiError> {
    @Override
    public Class<ApiError> replyType() {
        return ApiError.class;
    }
}
