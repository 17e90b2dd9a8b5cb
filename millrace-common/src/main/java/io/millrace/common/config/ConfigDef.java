package io.millrace.common.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An ordered set of {@link ConfigKey}s, and the parsing of string maps against them.
 * Immutable once built, thread-safe.
 */
public final class ConfigDef {

    private final Map<String, ConfigKey> keys;

    private ConfigDef(Map<String, ConfigKey> keys) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every key, in definition order. */
    public Collection<ConfigKey> keys() {
        return keys.values();
    }

    /** Every key name, in definition order. */
    public List<String> names() {
        return List.copyOf(keys.keySet());
    }

    /** The key called {@code name}, or null when there is none. */
    public ConfigKey key(String name) {
        return keys.get(name);
    }

    public boolean contains(String name) {
        return keys.containsKey(name);
    }

    /** Parses one value of a known key; ConfigException names the key and value (or the unknown key). */
    public Object parseValue(String name, String text) {
        return require(name).parse(text);
    }

    /** The key called {@code name}; ConfigException when it is not defined. */
    public ConfigKey require(String name) {
        ConfigKey key = keys.get(name);
        if (key == null) {
            throw new ConfigException("Unknown configuration '" + name + "'");
        }
        return key;
    }

    /**
     * Parses {@code props}: every defined key maps to its given value, else its default (null
     * when it has none). Keys this definition does not know are skipped; see {@link #unknown}.
     * The result allows null values and keeps definition order.
     */
    public Map<String, Object> parse(Map<String, String> props) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            String text = props.get(key.name());
            values.put(key.name(), text == null ? key.defaultValue() : key.parse(text));
        }
        return Collections.unmodifiableMap(values);
    }

    /** The keys of {@code props} this definition does not know, sorted. */
    public List<String> unknown(Collection<String> names) {
        TreeSet<String> unknown = new TreeSet<>();
        for (String name : names) {
            if (!keys.containsKey(name)) {
                unknown.add(name);
            }
        }
        return List.copyOf(unknown);
    }

    /** Collects keys in order; a name may be defined once. Not thread-safe. */
    public static final class Builder {
        private final Map<String, ConfigKey> ordered = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder define(ConfigKey key) {
            if (ordered.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("Configuration " + key.name() + " is defined twice");
            }
            return this;
        }

        /** A read-only key Millrace acts on. {@code defaultValue} may be typed or a string in config syntax. */
        public Builder define(String name, ConfigType type, Object defaultValue, Validator validator,
                              String doc) {
            return define(Support.ACTED_ON, name, type, defaultValue, validator, doc);
        }

        public Builder define(String name, ConfigType type, Object defaultValue, String doc) {
            return define(name, type, defaultValue, Validator.ANY, doc);
        }

        /** A read-only key with the given {@link Support}. */
        public Builder define(Support support, String name, ConfigType type, Object defaultValue,
                              Validator validator, String doc) {
            return define(new ConfigKey(name, type, defaultValue, validator, doc,
                    type == ConfigType.PASSWORD, false, support));
        }

        public Builder define(Support support, String name, ConfigType type, Object defaultValue, String doc) {
            return define(support, name, type, defaultValue, Validator.ANY, doc);
        }

        /** A key Millrace acts on that may be updated at runtime for the whole cluster or one broker. */
        public Builder defineDynamic(String name, ConfigType type, Object defaultValue, Validator validator,
                                     String doc) {
            return defineDynamic(Support.ACTED_ON, name, type, defaultValue, validator, doc);
        }

        public Builder defineDynamic(String name, ConfigType type, Object defaultValue, String doc) {
            return defineDynamic(name, type, defaultValue, Validator.ANY, doc);
        }

        /** A runtime-updatable key with the given {@link Support}. */
        public Builder defineDynamic(Support support, String name, ConfigType type, Object defaultValue,
                                     Validator validator, String doc) {
            return define(new ConfigKey(name, type, defaultValue, validator, doc,
                    type == ConfigType.PASSWORD, true, support));
        }

        public Builder defineDynamic(Support support, String name, ConfigType type, Object defaultValue, String doc) {
            return defineDynamic(support, name, type, defaultValue, Validator.ANY, doc);
        }

        public ConfigDef build() {
            return new ConfigDef(ordered);
        }
    }
}
