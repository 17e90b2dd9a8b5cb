package io.millrace.common.config;

import static io.millrace.common.config.ConfigType.BOOLEAN;
import static io.millrace.common.config.ConfigType.STRING;

/**
 * Millrace's own keys for the web console that {@code millrace server} starts beside the broker
 * (the millrace-console module; the launcher acts on them). Stateless.
 */
public final class ConsoleKeys {

    /** host:port of the console's HTTP listener; unset: 127.0.0.1:9080 on a single node, off in a cluster; empty: off. */
    public static final String LISTENER = "millrace.console.listener";
    /** Whether the console offers create/delete topic and reset offsets. */
    public static final String ACTIONS_ENABLE = "millrace.console.actions.enable";
    /** Where a single node's console listens when {@link #LISTENER} is unset. */
    public static final String SINGLE_NODE_DEFAULT = "127.0.0.1:9080";

    private ConsoleKeys() {
    }

    static void define(ConfigDef.Builder b) {
        b.define(LISTENER, STRING, null, hostPortOrEmpty(),
                "host:port of the web console's HTTP listener (Millrace's key). Unset: " + SINGLE_NODE_DEFAULT
                        + " when the node is alone in its quorum (a single node), off in a cluster. Empty: off.");
        b.define(ACTIONS_ENABLE, BOOLEAN, false,
                "Whether the web console offers create/delete topic and reset offsets (Millrace's key); "
                        + "read-only when false.");
    }

    /** Empty, or host:port with a port in [0, 65535]. */
    static Validator hostPortOrEmpty() {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value == null || ((String) value).isBlank()) {
                    return;
                }
                String text = ((String) value).strip();
                int colon = text.lastIndexOf(':');
                int port;
                try {
                    port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535) {
                    throw new ConfigException(key, value, "must be host:port (e.g. " + SINGLE_NODE_DEFAULT + ") or empty");
                }
            }

            @Override
            public String toString() {
                return "host:port or empty";
            }
        };
    }
}
