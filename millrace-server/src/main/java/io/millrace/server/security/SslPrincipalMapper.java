package io.millrace.server.security;

import io.millrace.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code ssl.principal.mapping.rules}: turns a client certificate's distinguished name (RFC 2253,
 * e.g. {@code CN=app,OU=eng,O=acme}) into the principal's name, as Kafka documents (KIP-371).
 * Rules are tried in order; the first whose pattern matches the whole name applies:
 * {@code RULE:pattern/replacement/} with an optional {@code L} or {@code U} after the last slash
 * to lower- or upper-case the result, or {@code DEFAULT}, the name unchanged. Immutable.
 */
public final class SslPrincipalMapper {
    /** One rule and the separator after it; a slash or backslash inside pattern or replacement is escaped. */
    private static final Pattern RULE = Pattern.compile(
            "\\s*(?:(DEFAULT)|RULE:((?:\\\\.|[^\\\\/])*)/((?:\\\\.|[^\\\\/])*)/([LU]?))\\s*(?:[,\\n]|$)");

    private record Rule(Pattern pattern, String replacement, boolean isDefault, boolean lower, boolean upper) {
    }

    private final String text;
    private final List<Rule> rules;

    private SslPrincipalMapper(String text, List<Rule> rules) {
        this.text = text;
        this.rules = List.copyOf(rules);
    }

    /** Parses {@code rules}; ConfigException names {@code key} when they are malformed. */
    public static SslPrincipalMapper parse(String key, String rules) {
        String value = rules == null || rules.isBlank() ? "DEFAULT" : rules.trim();
        List<Rule> parsed = new ArrayList<>();
        Matcher m = RULE.matcher(value);
        int at = 0;
        while (at < value.length()) {
            if (!m.find(at) || m.start() != at || m.end() == at) {
                throw new ConfigException(key, value, "cannot read a rule at '" + value.substring(at)
                        + "' (expected DEFAULT or RULE:pattern/replacement/[LU])");
            }
            if (m.group(1) != null) {
                parsed.add(new Rule(null, null, true, false, false));
            } else {
                try {
                    parsed.add(new Rule(Pattern.compile(unescape(m.group(2))), unescape(m.group(3)), false,
                            "L".equals(m.group(4)), "U".equals(m.group(4))));
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(key, value, "bad pattern: " + e.getDescription());
                }
            }
            at = m.end();
        }
        return new SslPrincipalMapper(value, parsed);
    }

    private static String unescape(String s) {
        return s.replace("\\/", "/");
    }

    /** The principal name for {@code distinguishedName}, or null when no rule applies. */
    public String map(String distinguishedName) {
        for (Rule rule : rules) {
            if (rule.isDefault()) {
                return distinguishedName;
            }
            Matcher m = rule.pattern().matcher(distinguishedName);
            if (m.matches()) {
                String name = m.replaceAll(rule.replacement());
                return rule.lower() ? name.toLowerCase(Locale.ROOT) : rule.upper() ? name.toUpperCase(Locale.ROOT) : name;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
