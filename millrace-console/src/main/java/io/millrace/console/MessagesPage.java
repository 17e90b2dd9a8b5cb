package io.millrace.console;

import io.millrace.console.HttpFront.Request;
import io.millrace.console.HttpFront.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A topic's messages: a form (partition, from offset or from time, how many) and the messages
 * read, key, headers and value each shown as text (JSON pretty-printed) or, when not UTF-8, as
 * hex. Stateless.
 */
final class MessagesPage {

    private static final int SHOWN_BYTES = 10 * 1024;

    private final Admin admin;
    private final MessageBrowser browser;
    private final boolean actionsEnabled;

    MessagesPage(Admin admin, MessageBrowser browser, boolean actionsEnabled) {
        this.admin = admin;
        this.browser = browser;
        this.actionsEnabled = actionsEnabled;
    }

    Response render(Request request) throws Exception {
        String topic = request.param("topic");
        Html html = new Html("Messages of " + topic, actionsEnabled);
        TopicDescription description;
        try {
            description = AdminCalls.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        } catch (UnknownTopicOrPartitionException e) {
            return Response.html(404, html.error("No topic " + topic).finish());
        }
        int partition;
        int limit;
        OptionalLong offset;
        OptionalLong timestamp;
        try {
            partition = request.param("partition").isBlank() ? 0 : Integer.parseInt(request.param("partition").strip());
            limit = request.param("limit").isBlank() ? 50 : Integer.parseInt(request.param("limit").strip());
            offset = request.param("offset").isBlank() ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(request.param("offset").strip()));
            timestamp = request.param("time").isBlank() ? OptionalLong.empty() : OptionalLong.of(time(request.param("time")));
        } catch (NumberFormatException | DateTimeParseException e) {
            return Response.html(400, html.error("Not a number or time: " + e.getMessage()).finish());
        }
        if (partition < 0 || partition >= description.partitions().size()) {
            return Response.html(400, html.error("Topic " + topic + " has no partition " + partition).finish());
        }
        form(html, topic, description.partitions().size(), partition, request, limit);
        MessageBrowser.Page page = browser.read(topic, partition, offset, timestamp, limit);
        html.raw("<p>Partition ").text(partition).raw(": offsets ").text(page.startOffset()).raw(" to ")
                .text(page.endOffset()).raw(" (end, exclusive); showing ").text(page.messages().size())
                .raw(" from offset ").text(page.firstOffset()).raw(".</p>");
        html.raw("<table class=\"messages\"><thead><tr><th>Offset</th><th>Time (UTC)</th><th>Key</th><th>Headers</th>"
                + "<th>Value</th></tr></thead><tbody>");
        for (MessageBrowser.Message m : page.messages()) {
            html.raw("<tr><td>").text(m.offset()).raw("</td><td>").text(Instant.ofEpochMilli(m.timestamp()))
                    .raw("</td><td>");
            shown(html, m.key(), false);
            html.raw("</td><td>");
            for (Map.Entry<String, byte[]> h : m.headers()) {
                html.raw("<div><b>").text(h.getKey()).raw("</b>: ");
                shown(html, h.getValue(), false);
                html.raw("</div>");
            }
            html.raw("</td><td>");
            shown(html, m.value(), true);
            html.raw("</td></tr>");
        }
        html.endTable();
        return Response.html(200, html.finish());
    }

    private static void form(Html html, String topic, int partitions, int partition, Request request, int limit) {
        html.raw("<form method=\"get\" action=\"/messages\"><input type=\"hidden\" name=\"topic\" value=\"")
                .text(topic).raw("\"><label>Partition <select name=\"partition\">");
        for (int p = 0; p < partitions; p++) {
            html.raw("<option").raw(p == partition ? " selected" : "").raw(">").text(p).raw("</option>");
        }
        html.raw("</select></label> <label>From offset <input name=\"offset\" size=\"10\" value=\"")
                .text(request.param("offset")).raw("\"></label> <label>or from time (UTC, ISO or ms) <input name=\"time\" "
                        + "size=\"22\" placeholder=\"2026-01-31T12:00:00\" value=\"").text(request.param("time"))
                .raw("\"></label> <label>How many <input name=\"limit\" type=\"number\" min=\"1\" max=\"")
                .text(MessageBrowser.MAX_MESSAGES).raw("\" value=\"").text(limit)
                .raw("\"></label> <button>Read</button> <span class=\"hint\">(neither offset nor time: the last ones)</span></form>");
    }

    /** Milliseconds since the epoch, or an ISO time (with or without zone; without, UTC). */
    static long time(String text) {
        String t = text.strip();
        if (t.matches("\\d+")) {
            return Long.parseLong(t);
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    /** The bytes as text (a value's JSON pretty-printed, in a block) or as hex when not UTF-8. */
    private static void shown(Html html, byte[] bytes, boolean block) {
        if (bytes == null) {
            html.raw("<i>null</i>");
            return;
        }
        boolean cut = bytes.length > SHOWN_BYTES;
        byte[] head = cut ? java.util.Arrays.copyOf(bytes, SHOWN_BYTES) : bytes;
        String text = utf8(head);
        if (text == null) {
            html.raw("<code class=\"hex\">").text(HexFormat.of().formatHex(head)).raw("</code>");
        } else {
            html.raw(block ? "<pre>" : "<code>").text(block && !cut ? Json.pretty(text).orElse(text) : text)
                    .raw(block ? "</pre>" : "</code>");
        }
        if (cut) {
            html.raw("<span class=\"hint\">(first ").text(SHOWN_BYTES).raw(" of ").text(bytes.length).raw(" bytes)</span>");
        }
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
