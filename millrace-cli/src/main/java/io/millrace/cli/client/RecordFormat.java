package io.millrace.cli.client;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * kcat's output format strings: {@code %s} value, {@code %k} key, {@code %t} topic,
 * {@code %p} partition, {@code %o} offset, {@code %T} timestamp (ms), {@code %h} headers as
 * {@code k=v,k=v}, {@code %S} value size, {@code %K} key size, {@code %%}, and the escapes
 * {@code \n \t \\}. A null key or value prints as nothing. Immutable.
 */
final class RecordFormat {
    private final String pattern;

    RecordFormat(String pattern) {
        this.pattern = pattern;
    }

    String format(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                char next = pattern.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case '\\' -> "\\";
                    default -> "\\" + next;
                });
            } else if (c == '%' && i + 1 < pattern.length()) {
                char next = pattern.charAt(++i);
                switch (next) {
                    case 's' -> out.append(text(record.value()));
                    case 'k' -> out.append(text(record.key()));
                    case 't' -> out.append(record.topic());
                    case 'p' -> out.append(record.partition());
                    case 'o' -> out.append(record.offset());
                    case 'T' -> out.append(record.timestamp());
                    case 'S' -> out.append(record.value() == null ? -1 : record.value().length);
                    case 'K' -> out.append(record.key() == null ? -1 : record.key().length);
                    case 'h' -> out.append(headers(record));
                    case '%' -> out.append('%');
                    default -> out.append('%').append(next);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String headers(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder out = new StringBuilder();
        for (Header h : record.headers()) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(h.key()).append('=').append(text(h.value()));
        }
        return out.toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
