package io.millrace.common.config;

/** One entry of {@code listeners} / {@code advertised.listeners}: {@code NAME://host:port}. */
public record Endpoint(String listenerName, String host, int port) {
    @Override
    public String toString() {
        return listenerName + "://" + host + ":" + port;
    }
}
