package io.millrace.server.network;

/**
 * A snapshot of the socket server's connection counters.
 *
 * @param openConnections     connections open now
 * @param acceptedConnections connections accepted since start
 * @param rejectedConnections connections closed because the client sent bytes that are not a
 *                            request this broker can serve
 */
public record SocketServerStats(int openConnections, long acceptedConnections, long rejectedConnections) {
}
