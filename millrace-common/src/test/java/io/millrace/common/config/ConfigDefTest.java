package io.millrace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDefTest {

    private final ConfigDef def = ConfigDef.builder()
            .define("a.int", ConfigType.INT, 5, Validator.atLeast(1), "an int")
            .define("b.long", ConfigType.LONG, null, "a long without default")
            .define("c.list", ConfigType.LIST, "x,y", Validator.listOf(false, "x", "y", "z"), "a list")
            .defineDynamic("d.bool", ConfigType.BOOLEAN, false, "a dynamic boolean")
            .define("e.secret", ConfigType.PASSWORD, null, "a password")
            .build();

    @Test
    void keepsDefinitionOrderAndFlags() {
        assertEquals(List.of("a.int", "b.long", "c.list", "d.bool", "e.secret"), def.names());
        assertTrue(def.key("d.bool").dynamic());
        assertFalse(def.key("a.int").dynamic());
        assertTrue(def.key("e.secret").sensitive());
        assertNull(def.key("nope"));
    }

    @Test
    void parsesGivenValuesAndFillsDefaults() {
        Map<String, Object> values = def.parse(Map.of("a.int", " 7 ", "c.list", "z , x", "d.bool", "TRUE"));
        assertEquals(7, values.get("a.int"));
        assertNull(values.get("b.long"));
        assertEquals(List.of("z", "x"), values.get("c.list"));
        assertEquals(true, values.get("d.bool"));
        assertEquals(List.of("x", "y"), def.parse(Map.of()).get("c.list"));
    }

    @Test
    void parseValueNamesKeyAndValue() {
        ConfigException notNumber = assertThrows(ConfigException.class, () -> def.parseValue("a.int", "abc"));
        assertTrue(notNumber.getMessage().contains("a.int"), notNumber.getMessage());
        assertTrue(notNumber.getMessage().contains("'abc'"), notNumber.getMessage());

        ConfigException tooSmall = assertThrows(ConfigException.class, () -> def.parseValue("a.int", "0"));
        assertEquals("Invalid value '0' for configuration a.int: value must be at least 1", tooSmall.getMessage());

        ConfigException badItem = assertThrows(ConfigException.class, () -> def.parseValue("c.list", "x,w"));
        assertTrue(badItem.getMessage().contains("'w' is not one of"), badItem.getMessage());
        assertThrows(ConfigException.class, () -> def.parseValue("c.list", "x,x"));
        assertThrows(ConfigException.class, () -> def.parseValue("c.list", ""));
        assertThrows(ConfigException.class, () -> def.parseValue("d.bool", "yes"));
        assertThrows(ConfigException.class, () -> def.parseValue("unknown.key", "1"));
    }

    @Test
    void valueParsingByType() {
        assertEquals((short) 3, ConfigValues.parse("k", ConfigType.SHORT, "3"));
        assertEquals(0.25, ConfigValues.parse("k", ConfigType.DOUBLE, "0.25"));
        assertEquals(Long.MAX_VALUE, ConfigValues.parse("k", ConfigType.LONG, "9223372036854775807"));
        assertEquals(List.of(), ConfigValues.parse("k", ConfigType.LIST, " "));
        assertThrows(ConfigException.class, () -> ConfigValues.parse("k", ConfigType.INT, "2147483648"));
        assertThrows(ConfigException.class, () -> ConfigValues.parse("k", ConfigType.DOUBLE, "NaN"));
        assertEquals("a,b", ConfigValues.format(List.of("a", "b")));
        assertNull(ConfigValues.format(null));
    }

    @Test
    void defaultsAreCoercedToTheirType() {
        ConfigKey key = new ConfigKey("l", ConfigType.LONG, 5, Validator.ANY, "doc", false, false);
        assertEquals(5L, key.defaultValue());
        assertThrows(ConfigException.class,
                () -> new ConfigKey("i", ConfigType.INT, 0, Validator.atLeast(1), "doc", false, false));
    }

    @Test
    void rejectsDuplicateNames() {
        ConfigDef.Builder b = ConfigDef.builder().define("x", ConfigType.INT, 1, "doc");
        assertThrows(IllegalArgumentException.class, () -> b.define("x", ConfigType.INT, 1, "doc"));
    }

    @Test
    void validatorsDescribeThemselves() {
        assertEquals("[1,...]", Validator.atLeast(1).toString());
        assertEquals("[0,...,1]", Validator.between(0, 1).toString());
        assertEquals("[compact, delete]", Validator.listOf(false, "compact", "delete").toString());
    }
}
