package io.millrace.cli.client;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints rows either as an aligned table (for people) or as a JSON array of objects (for
 * scripts, {@code --output json}). A row is an ordered map of column to value; values are
 * strings, numbers, booleans, lists or nested maps (nested values print as JSON in a table too).
 * Not thread-safe.
 */
final class Output {
    enum Format { TABLE, JSON }

    private Output() {
    }

    static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    static void print(PrintWriter out, Format format, List<Map<String, Object>> rows) {
        if (format == Format.JSON) {
            out.println(json(rows));
            out.flush();
            return;
        }
        if (rows.isEmpty()) {
            out.flush();
            return;
        }
        List<String> columns = new ArrayList<>(rows.getFirst().keySet());
        int[] widths = new int[columns.size()];
        List<List<String>> cells = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
        }
        for (Map<String, Object> row : rows) {
            List<String> line = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                Object value = row.get(columns.get(c));
                String text = value == null ? "-" : value instanceof String s ? s
                        : value instanceof Number || value instanceof Boolean ? value.toString() : json(value);
                widths[c] = Math.max(widths[c], text.length());
                line.add(text);
            }
            cells.add(line);
        }
        StringBuilder header = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            header.append(pad(columns.get(c).toUpperCase(java.util.Locale.ROOT), widths[c], c == columns.size() - 1));
        }
        out.println(header.toString().stripTrailing());
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < line.size(); c++) {
                text.append(pad(line.get(c), widths[c], c == line.size() - 1));
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }

    private static String pad(String text, int width, boolean last) {
        return last ? text : text + " ".repeat(width - text.length() + 2);
    }

    /** JSON text of a value: maps, lists, strings, numbers, booleans, null. */
    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        appendJson(out, value);
        return out.toString();
    }

    private static void appendJson(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    appendString(out, String.valueOf(e.getKey()));
                    out.append(':');
                    appendJson(out, e.getValue());
                }
                out.append('}');
            }
            case Iterable<?> list -> {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    appendJson(out, item);
                }
                out.append(']');
            }
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> appendString(out, value.toString());
        }
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
