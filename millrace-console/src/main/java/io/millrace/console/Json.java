package io.millrace.console;

import java.util.Optional;

/**
 * JSON text: quoting strings for the console's JSON endpoints, and pretty-printing a message value
 * that is JSON. The pretty-printer checks the grammar as it goes (objects, arrays, strings,
 * numbers, true/false/null) and gives up on anything else. Stateless.
 */
final class Json {

    private static final int MAX_DEPTH = 64;

    private Json() {
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** {@code text} indented by two spaces per level, or empty when it is not one JSON object or array. */
    static Optional<String> pretty(String text) {
        String t = text.strip();
        if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[')) {
            return Optional.empty();
        }
        Printer p = new Printer(t);
        try {
            p.value(0);
            p.skipSpace();
            return p.pos == t.length() ? Optional.of(p.out.toString()) : Optional.empty();
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static final class Printer {
        final String in;
        final StringBuilder out = new StringBuilder();
        int pos;

        Printer(String in) {
            this.in = in;
        }

        void value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("too deep");
            }
            skipSpace();
            char c = in.charAt(pos);
            switch (c) {
                case '{' -> container(depth, '}', true);
                case '[' -> container(depth, ']', false);
                case '"' -> string();
                default -> scalar();
            }
        }

        void container(int depth, char close, boolean object) {
            out.append(in.charAt(pos++));
            skipSpace();
            if (in.charAt(pos) == close) {
                out.append(in.charAt(pos++));
                return;
            }
            while (true) {
                newline(depth + 1);
                if (object) {
                    skipSpace();
                    if (in.charAt(pos) != '"') {
                        throw new IllegalArgumentException("key");
                    }
                    string();
                    skipSpace();
                    expect(':');
                    out.append(": ");
                }
                value(depth + 1);
                skipSpace();
                char c = in.charAt(pos++);
                if (c == ',') {
                    out.append(',');
                } else if (c == close) {
                    newline(depth);
                    out.append(close);
                    return;
                } else {
                    throw new IllegalArgumentException("separator");
                }
            }
        }

        void string() {
            int start = pos++;
            while (in.charAt(pos) != '"') {
                if (in.charAt(pos) == '\\') {
                    pos++;
                }
                pos++;
            }
            pos++;
            out.append(in, start, pos);
        }

        void scalar() {
            int start = pos;
            while (pos < in.length() && "{}[],: \t\r\n\"".indexOf(in.charAt(pos)) < 0) {
                pos++;
            }
            String word = in.substring(start, pos);
            if (!word.equals("true") && !word.equals("false") && !word.equals("null")
                    && !word.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw new IllegalArgumentException("scalar");
            }
            out.append(word);
        }

        void expect(char c) {
            if (in.charAt(pos++) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
        }

        void skipSpace() {
            while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
                pos++;
            }
        }

        void newline(int depth) {
            out.append('\n').append("  ".repeat(depth));
        }
    }
}
