package io.millrace.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SslPrincipalMapperTest {
    private static final String KEY = "ssl.principal.mapping.rules";
    private static final String DN = "CN=app,OU=eng,O=acme,C=NZ";

    @Test
    void defaultKeepsTheDistinguishedName() {
        assertEquals(DN, SslPrincipalMapper.parse(KEY, "DEFAULT").map(DN));
        assertEquals(DN, SslPrincipalMapper.parse(KEY, "").map(DN));
    }

    @Test
    void theFirstMatchingRuleApplies() {
        SslPrincipalMapper mapper = SslPrincipalMapper.parse(KEY,
                "RULE:^CN=(.*?),OU=ops.*$/ops-$1/,RULE:^CN=(.*?),OU=(.*?),.*$/$1@$2/U, DEFAULT");
        assertEquals("APP@ENG", mapper.map(DN));
        assertEquals("ops-x", mapper.map("CN=x,OU=ops,O=acme"));
        assertEquals("O=other", mapper.map("O=other"));
    }

    @Test
    void lowerCaseAndEscapedSlashes() {
        SslPrincipalMapper mapper = SslPrincipalMapper.parse(KEY, "RULE:^CN=([^,]*).*$/users\\/$1/L");
        assertEquals("users/app", mapper.map("CN=APP,O=x"));
        assertNull(mapper.map("O=no-cn"));
    }

    @Test
    void rulesMaySpanLines() {
        SslPrincipalMapper mapper = SslPrincipalMapper.parse(KEY, "RULE:^CN=a.*$/a/\nDEFAULT");
        assertEquals("a", mapper.map("CN=a,O=x"));
        assertEquals("CN=b", mapper.map("CN=b"));
    }

    @Test
    void malformedRulesAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> SslPrincipalMapper.parse(KEY, "RULE:abc"));
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
        assertThrows(ConfigException.class, () -> SslPrincipalMapper.parse(KEY, "NOPE"));
        assertThrows(ConfigException.class, () -> SslPrincipalMapper.parse(KEY, "RULE:([/x/"));
    }
}
