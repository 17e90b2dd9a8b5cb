package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Polices the module's layering: storage may use the JDK, millrace-common, the record batch
 * helpers of millrace-wire, SLF4J, and kafka-clients' public value and error classes; never
 * kafka-clients internals (those go through KafkaRecords in millrace-wire), network, server or
 * metadata code.
 */
class StorageImportsTest {
    private static final List<String> ALLOWED_PREFIXES = List.of(
            "java.",
            "io.millrace.common.",
            "io.millrace.wire.batch.",
            "org.slf4j.",
            "org.apache.kafka.common.errors.",
            "org.apache.kafka.common.TopicPartition",
            "org.apache.kafka.common.Uuid",
            "org.apache.kafka.common.InvalidRecordException",
            "org.apache.kafka.common.record.TimestampType");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void mainSourcesImportOnlyWhatTheLayeringAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    String imported = matcher.group(2);
                    if (ALLOWED_PREFIXES.stream().noneMatch(imported::startsWith)) {
                        violations.add(file.getFileName() + " imports " + imported);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
