package io.millrace.server.config;

import io.millrace.common.config.ConfigKey;
import io.millrace.common.config.Support;
import io.millrace.common.config.UnsupportedSettings;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runtime config changes (topic configs, dynamic broker configs) of keys Millrace does not act
 * on: an {@link Support#UNSUPPORTED} key set to a value other than its default is refused; an
 * {@link Support#IGNORED} one is accepted and logged, once per key for the life of the broker.
 * Thread-safe.
 */
final class NotActedOnConfigs {
    private static final Logger log = LoggerFactory.getLogger(NotActedOnConfigs.class);

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * Null when setting {@code key} to the valid {@code value} (null: removing the override) is
     * acceptable, else the one-line reason it is not.
     */
    String check(String kind, ConfigKey key, String value) {
        String refusal = UnsupportedSettings.refusal(key, value);
        if (refusal != null) {
            return refusal;
        }
        if (value != null && key.support() == Support.IGNORED && key.differsFromDefault(key.parse(value))
                && warned.add(kind + " " + key.name())) {
            log.warn("{} configuration {} was set to {}; Millrace accepts it but does not act on it "
                    + "(logged once per key)", kind, key.name(), key.sensitive() ? "a hidden value" : "'" + value + "'");
        }
        return null;
    }
}
