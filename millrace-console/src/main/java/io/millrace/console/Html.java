package io.millrace.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one HTML page: the layout (navigation, title, footer) around content appended with
 * {@link #text} (escaped) or {@link #raw} (markup of ours only). Everything that comes from the
 * cluster or the request (topic names, keys, values, errors) goes through {@link #text} or
 * {@link #escape}. Not thread-safe: one per response.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(4096);

    Html(String title, boolean actionsEnabled) {
        raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .text(title).raw(" · Millrace console</title>")
                .raw("<link rel=\"stylesheet\" href=\"/static/console.css\">")
                .raw("<script src=\"/static/chart.umd.js\"></script><script src=\"/static/console.js\" defer></script>")
                .raw("</head><body><nav><b>Millrace console</b>")
                .raw("<a href=\"/cluster\">Cluster</a><a href=\"/topics\">Topics</a>")
                .raw("<a href=\"/groups\">Consumer groups</a><a href=\"/throughput\">Throughput</a>")
                .raw("<span class=\"mode\">").raw(actionsEnabled ? "actions enabled" : "read-only").raw("</span></nav><main><h1>")
                .text(title).raw("</h1>");
    }

    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html text(Object value) {
        out.append(escape(String.valueOf(value)));
        return this;
    }

    /** A table header row. */
    Html head(String... columns) {
        raw("<table><thead><tr>");
        for (String c : columns) {
            raw("<th>").text(c).raw("</th>");
        }
        return raw("</tr></thead><tbody>");
    }

    /** A table row of escaped cells. */
    Html row(Object... cells) {
        raw("<tr>");
        for (Object c : cells) {
            raw("<td>").text(c).raw("</td>");
        }
        return raw("</tr>");
    }

    Html endTable() {
        return raw("</tbody></table>");
    }

    /** A link whose text is escaped and whose query value is URL-encoded. */
    Html link(String path, String param, String value, Object label) {
        return raw("<a href=\"").raw(path).raw("?").raw(param).raw("=").raw(escape(url(value))).raw("\">")
                .text(label).raw("</a>");
    }

    /** A live chart: the script fills it from {@code source} and refreshes it. */
    Html chart(String id, String source) {
        return raw("<div class=\"chart\"><canvas id=\"").raw(escape(id)).raw("\" data-source=\"").raw(escape(source))
                .raw("\"></canvas></div>");
    }

    Html error(String message) {
        return raw("<p class=\"error\">").text(message).raw("</p>");
    }

    String finish() {
        return out + "</main></body></html>";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
