package io.millrace.metadata.controller;

import org.apache.kafka.common.protocol.Errors;

/** An error code with the message the client sees; {@link #NONE} for success. */
public record ApiError(Errors error, String message) {
    public static final ApiError NONE = new ApiError(Errors.NONE, null);

    public static ApiError of(Errors error, String message) {
        return new ApiError(error, message);
    }

    public boolean isSuccess() {
        return error == Errors.NONE;
    }
}
