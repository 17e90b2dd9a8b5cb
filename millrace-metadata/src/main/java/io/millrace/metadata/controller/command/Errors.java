package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import java.util.List;

/** One error per item of the command, in order. */
public record Errors(List<ApiError> errors) {
}
