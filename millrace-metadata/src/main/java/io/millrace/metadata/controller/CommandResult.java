package io.millrace.metadata.controller;

import io.millrace.metadata.records.MetadataRecord;
import java.util.List;

/**
 * What a command decided: the records to write (empty for none) and the reply to give once they
 * are committed and replayed.
 *
 * @param event a sentence for operators, logged at INFO once the records are committed; null for none
 */
record CommandResult<T>(List<MetadataRecord> records, T reply, String event) {
    CommandResult {
        records = List.copyOf(records);
    }

    CommandResult(List<MetadataRecord> records, T reply) {
        this(records, reply, null);
    }

    static <T> CommandResult<T> reply(T reply) {
        return new CommandResult<>(List.of(), reply, null);
    }
}
