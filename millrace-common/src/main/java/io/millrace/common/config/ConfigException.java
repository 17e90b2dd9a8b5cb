package io.millrace.common.config;

/** A configuration value that cannot be used. The message names the key and the value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, Object value, String why) {
        super("Invalid value '" + value + "' for configuration " + key + ": " + why);
    }

    public ConfigException(String message) {
        super(message);
    }
}
