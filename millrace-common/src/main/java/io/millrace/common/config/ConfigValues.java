package io.millrace.common.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Turns config strings into typed values and back, the way server.properties and the
 * DescribeConfigs/AlterConfigs wire format spell them.
 *
 * <p>Typed values: BOOLEAN is {@link Boolean}, INT {@link Integer}, SHORT {@link Short},
 * LONG {@link Long}, DOUBLE {@link Double}, LIST an unmodifiable {@code List<String>},
 * STRING, CLASS and PASSWORD {@link String}. Stateless and thread-safe.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** Parses {@code text} as {@code type}; throws ConfigException naming {@code key} and the text. */
    public static Object parse(String key, ConfigType type, String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        try {
            return switch (type) {
                case BOOLEAN -> parseBoolean(key, text, trimmed);
                case INT -> Integer.parseInt(trimmed);
                case SHORT -> Short.parseShort(trimmed);
                case LONG -> Long.parseLong(trimmed);
                case DOUBLE -> parseDouble(trimmed);
                case LIST -> parseList(trimmed);
                case STRING, CLASS, PASSWORD -> trimmed;
            };
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text, "not a number of type " + type);
        }
    }

    /**
     * Converts a programmatic value (a default written in Java, or a value already parsed) to
     * {@code type}: strings are parsed, numbers are converted when no precision is lost.
     */
    public static Object coerce(String key, ConfigType type, Object value) {
        if (value == null || value instanceof String) {
            return parse(key, type, (String) value);
        }
        Object converted = switch (type) {
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case INT -> value instanceof Number n && n.longValue() == n.intValue()
                    && !(value instanceof Double) ? n.intValue() : null;
            case SHORT -> value instanceof Number n && n.longValue() == n.shortValue()
                    && !(value instanceof Double) ? n.shortValue() : null;
            case LONG -> value instanceof Number n && !(value instanceof Double) ? n.longValue() : null;
            case DOUBLE -> value instanceof Number n ? n.doubleValue() : null;
            case LIST -> value instanceof List<?> list ? toStringList(list) : null;
            case STRING, CLASS, PASSWORD -> null;
        };
        if (converted == null) {
            throw new ConfigException(key, value, "expected a value of type " + type);
        }
        return converted;
    }

    /** The string form of a typed value, as DescribeConfigs reports it; null stays null. */
    public static String format(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            StringBuilder joined = new StringBuilder();
            for (Object item : list) {
                if (!joined.isEmpty()) {
                    joined.append(',');
                }
                joined.append(item);
            }
            return joined.toString();
        }
        return value.toString();
    }

    private static Boolean parseBoolean(String key, String text, String trimmed) {
        if (trimmed.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new ConfigException(key, text, "expected true or false");
    }

    private static Double parseDouble(String trimmed) {
        double value = Double.parseDouble(trimmed);
        // Double.parseDouble accepts "NaN", "Infinity" and a trailing 'd'; no config wants those.
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (Double.isNaN(value) || lower.endsWith("d") || lower.endsWith("f")) {
            throw new NumberFormatException(trimmed);
        }
        return value;
    }

    private static List<String> parseList(String trimmed) {
        if (trimmed.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : trimmed.split("\\s*,\\s*", -1)) {
            items.add(item.trim());
        }
        return Collections.unmodifiableList(items);
    }

    private static List<String> toStringList(List<?> list) {
        List<String> items = new ArrayList<>(list.size());
        for (Object item : list) {
            items.add(String.valueOf(item));
        }
        return Collections.unmodifiableList(items);
    }
}
