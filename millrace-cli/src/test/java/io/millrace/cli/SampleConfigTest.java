package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config/server.properties stays true: known keys only, each at Millrace's default. */
class SampleConfigTest {

    @Test
    void sampleMatchesTheDefaults() throws Exception {
        Map<String, String> sample = ServerProperties.load(Path.of("../config/server.properties"), Map.of());
        assertEquals(List.of(), BrokerConfig.unknownKeys(sample));
        List<String> warnings = new ArrayList<>();
        BrokerConfig fromSample = BrokerConfig.fromProperties(sample, warnings::add);
        assertEquals(List.of(), warnings, "the sample sets no key Millrace ignores");
        BrokerConfig defaults = BrokerConfig.defaults();
        for (String key : sample.keySet()) {
            Object expected = key.equals(BrokerConfigs.LOG_DIRS) ? List.of("./data") : defaults.get(key);
            assertEquals(expected, fromSample.get(key), key);
        }
        assertEquals(defaults.logDirs(), fromSample.logDirs());
        assertEquals(defaults.topicDefaults(), fromSample.topicDefaults());
    }
}
