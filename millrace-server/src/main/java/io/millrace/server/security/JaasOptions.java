package io.millrace.server.security;

import io.millrace.common.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One login module entry of a {@code sasl.jaas.config} value, as Kafka writes it:
 * {@code org.example.LoginModule required name="value" other=value;}. Values may be quoted (with
 * backslash escapes) or bare. Immutable and thread-safe; its {@code toString} hides the values.
 *
 * @param loginModule the login module's class name
 * @param options     the options in the order given
 */
record JaasOptions(String loginModule, Map<String, String> options) {
    private static final Pattern OPTION = Pattern.compile("([A-Za-z0-9_.\\-]+)\\s*=\\s*(\"((?:\\\\.|[^\"\\\\])*)\"|[^\\s;\"]+)");

    JaasOptions {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Parses {@code jaas}, the value of {@code key}.
     *
     * @throws ConfigException naming the key (never the value) when no login module is named
     */
    static JaasOptions parse(String key, String jaas) {
        String text = jaas == null ? "" : jaas.trim();
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != ';') {
            end++;
        }
        if (end == 0) {
            throw new ConfigException(key + " names no login module (value hidden)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        Matcher m = OPTION.matcher(text.substring(end));
        while (m.find()) {
            String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
            options.put(m.group(1), value);
        }
        return new JaasOptions(text.substring(0, end), options);
    }

    String option(String name) {
        return options.get(name);
    }

    @Override
    public String toString() {
        return "JaasOptions[" + loginModule + " " + options.keySet() + "]";
    }
}
