package io.millrace.common.config;

import java.util.List;

/**
 * One entry of a DescribeConfigs answer, ready to be copied into the response.
 *
 * @param name          the key
 * @param value         the effective value as a string; null when sensitive or when it has none
 * @param source        where the effective value comes from
 * @param readOnly      true when it cannot be changed at runtime
 * @param sensitive     true for passwords and the like (the value is then null)
 * @param type          the value type
 * @param documentation a sentence or two about the key
 * @param synonyms      where a value could come from, highest precedence first: a topic override,
 *                      then each broker key that is set (per broker, cluster default, static), then
 *                      the defaults. Values of sensitive keys are null.
 */
public record DescribedConfig(String name, String value, ConfigSource source, boolean readOnly,
                              boolean sensitive, ConfigType type, String documentation,
                              List<Synonym> synonyms) {

    public DescribedConfig {
        synonyms = List.copyOf(synonyms);
    }

    /** One place a value may come from. */
    public record Synonym(String name, String value, ConfigSource source) {
    }
}
