package io.millrace.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Reads server.properties (java.util.Properties syntax, as Kafka does) and applies overrides. */
final class ServerProperties {

    private ServerProperties() {
    }

    /** The file's keys and values (empty when {@code file} is null), then each override on top. */
    static Map<String, String> load(Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> props = new HashMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
            for (String name : properties.stringPropertyNames()) {
                props.put(name, properties.getProperty(name));
            }
        }
        props.putAll(overrides);
        return props;
    }
}
