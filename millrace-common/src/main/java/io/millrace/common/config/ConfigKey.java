package io.millrace.common.config;

import java.util.Objects;

/**
 * One configuration key: its name, type, typed default and validation, as Kafka defines it.
 *
 * @param name          the key as written in server.properties or sent by a client
 * @param type          the value type; PASSWORD values are sensitive
 * @param defaultValue  the typed default (see {@link ConfigValues}), or null for "no default"
 * @param validator     checks a typed value; {@link Validator#ANY} when anything of the type goes
 * @param documentation one or two sentences, our own words
 * @param sensitive     the value must never be shown (DescribeConfigs returns null)
 * @param dynamic       may be changed at runtime through IncrementalAlterConfigs, for the whole
 *                      cluster or one broker (Kafka's "cluster-wide" update mode)
 * @param support       whether Millrace acts on the key, ignores it, or refuses any non-default value
 */
public record ConfigKey(String name, ConfigType type, Object defaultValue, Validator validator,
                        String documentation, boolean sensitive, boolean dynamic, Support support) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(documentation, "documentation");
        Objects.requireNonNull(support, "support");
        defaultValue = ConfigValues.coerce(name, type, defaultValue);
        validator.ensureValid(name, defaultValue);
    }

    /** A key Millrace acts on. */
    public ConfigKey(String name, ConfigType type, Object defaultValue, Validator validator,
                     String documentation, boolean sensitive, boolean dynamic) {
        this(name, type, defaultValue, validator, documentation, sensitive, dynamic, Support.ACTED_ON);
    }

    /** Parses and validates a string value of this key. */
    public Object parse(String text) {
        Object value = ConfigValues.parse(name, type, text);
        validator.ensureValid(name, value);
        return value;
    }

    public boolean hasDefault() {
        return defaultValue != null;
    }

    /** True when the typed {@code value} differs from the default (any value, when there is none). */
    public boolean differsFromDefault(Object value) {
        return !Objects.equals(value, defaultValue);
    }

    /** The documentation, followed by what Millrace does with the key when it does not act on it. */
    public String describedDocumentation() {
        return switch (support) {
            case ACTED_ON -> documentation;
            case IGNORED -> documentation + " Millrace accepts this key and ignores it.";
            case UNSUPPORTED -> documentation + " Millrace does not support this yet: only the default is accepted.";
        };
    }
}
