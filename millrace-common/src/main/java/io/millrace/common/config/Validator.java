package io.millrace.common.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks one typed config value. {@link #toString()} describes the valid values the way Kafka's
 * documentation does ({@code [1,...]}, {@code [compact, delete]}). Implementations are stateless.
 */
@FunctionalInterface
public interface Validator {

    /** Throws ConfigException naming {@code key} and {@code value} when the value is not valid. */
    void ensureValid(String key, Object value);

    /** Accepts everything. */
    Validator ANY = new Validator() {
        @Override
        public void ensureValid(String key, Object value) {
        }

        @Override
        public String toString() {
            return "";
        }
    };

    /** A number no smaller than {@code min}; null (no value) passes. */
    static Validator atLeast(Number min) {
        return between(min, null);
    }

    /** A number in {@code [min, max]}; either bound may be null for unbounded. Null passes. */
    static Validator between(Number min, Number max) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value == null) {
                    return;
                }
                double n = ((Number) value).doubleValue();
                if (min != null && n < min.doubleValue()) {
                    throw new ConfigException(key, value, "value must be at least " + min);
                }
                if (max != null && n > max.doubleValue()) {
                    throw new ConfigException(key, value, "value must be no more than " + max);
                }
            }

            @Override
            public String toString() {
                if (max == null) {
                    return "[" + min + ",...]";
                }
                return "[" + (min == null ? "..." : min + ",...,") + max + "]";
            }
        };
    }

    /** One of {@code allowed} (case-sensitive, as Kafka checks these strings). Null passes. */
    static Validator oneOf(String... allowed) {
        List<String> choices = List.of(allowed);
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value != null && !choices.contains(value)) {
                    throw new ConfigException(key, value, "must be one of " + choices);
                }
            }

            @Override
            public String toString() {
                return choices.toString();
            }
        };
    }

    /**
     * A list whose items are each one of {@code allowed}, without repeats; empty only when
     * {@code emptyAllowed}. Null passes.
     */
    static Validator listOf(boolean emptyAllowed, String... allowed) {
        List<String> choices = List.of(allowed);
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value == null) {
                    return;
                }
                List<?> items = (List<?>) value;
                String shown = ConfigValues.format(items);
                if (items.isEmpty() && !emptyAllowed) {
                    throw new ConfigException(key, shown, "must not be empty");
                }
                Set<Object> seen = new HashSet<>();
                for (Object item : items) {
                    if (!choices.contains(item)) {
                        throw new ConfigException(key, shown, "'" + item + "' is not one of " + choices);
                    }
                    if (!seen.add(item)) {
                        throw new ConfigException(key, shown, "'" + item + "' is listed twice");
                    }
                }
            }

            @Override
            public String toString() {
                return choices.toString();
            }
        };
    }

    /** A non-blank string. Null passes (use no default to make a key optional). */
    static Validator nonBlank() {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value != null && value.toString().isBlank()) {
                    throw new ConfigException(key, value, "must not be empty");
                }
            }

            @Override
            public String toString() {
                return "non-empty string";
            }
        };
    }
}
