package io.millrace.coordinator.runtime;

import java.util.List;

/**
 * What a coordinator write operation decided: the records to append, and the response to give
 * once they are appended. The operation itself changes no state: the records, replayed, do.
 */
public record CoordinatorResult<T>(List<CoordinatorRecord> records, T response) {
    public CoordinatorResult {
        records = List.copyOf(records);
    }

    public static <T> CoordinatorResult<T> of(T response) {
        return new CoordinatorResult<>(List.of(), response);
    }
}
