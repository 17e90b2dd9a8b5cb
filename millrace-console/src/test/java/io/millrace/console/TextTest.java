package io.millrace.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void htmlEscapesEverythingFromOutside() {
        assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;",
                Html.escape("<script>alert(\"x\")</script> & '"));
        String page = new Html("<b>t</b>", false).text("<i>").link("/topic", "name", "a&b\"<", "a<b").finish();
        assertFalse(page.contains("<i>"));
        assertTrue(page.contains("href=\"/topic?name=a%26b%22%3C\""), page);
        assertTrue(page.contains("&lt;b&gt;t&lt;/b&gt;"));
    }

    @Test
    void jsonIsPrettyPrintedOnlyWhenItIsJson() {
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {}\n}",
                Json.pretty(" {\"a\":1,\"b\":[true, null],\"c\":{}} ").orElseThrow());
        assertEquals("[\n  \"x\\\"y\"\n]", Json.pretty("[\"x\\\"y\"]").orElseThrow());
        assertTrue(Json.pretty("{\"a\":}").isEmpty());
        assertTrue(Json.pretty("{\"a\":1} trailing").isEmpty());
        assertTrue(Json.pretty("hello").isEmpty());
        assertTrue(Json.pretty("{\"a\":01}").isEmpty());
        assertTrue(Json.pretty("[".repeat(100) + "]".repeat(100)).isEmpty(), "too deep");
        assertEquals("\"a\\\"\\u003c\\n\"", Json.quote("a\"<\n"));
    }

    @Test
    void valuesAreTextWhenUtf8AndTimesParse() {
        assertEquals("zürich", MessagesPage.utf8("zürich".getBytes(StandardCharsets.UTF_8)));
        assertNull(MessagesPage.utf8(new byte[] {(byte) 0xff, (byte) 0xfe}));
        assertEquals(1_700_000_000_000L, MessagesPage.time("1700000000000"));
        assertEquals(0L, MessagesPage.time("1970-01-01T00:00:00"));
        assertEquals(1000L, MessagesPage.time("1970-01-01T00:00:01Z"));
        assertEquals("1.5 KiB", PartitionFigures.bytes(1536));
    }

    @Test
    void listenAddressesParse() {
        assertEquals(9080, ConsoleOptions.parseListen("127.0.0.1:9080").getPort());
        assertEquals("127.0.0.1", ConsoleOptions.parseListen(":9080").getHostString());
        assertThrowsIllegal("localhost");
        assertThrowsIllegal("localhost:http");
        assertThrowsIllegal("localhost:70000");
    }

    private static void assertThrowsIllegal(String text) {
        try {
            ConsoleOptions.parseListen(text);
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("accepted " + text);
    }
}
