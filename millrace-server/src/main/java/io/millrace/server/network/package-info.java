/**
 * The Kafka protocol server: sockets, framing, and routing each request to its
 * {@link io.millrace.server.api.ApiHandler}.
 *
 * <p>Path of a request: {@code Acceptor} (platform thread "acceptor-NAME", one per listener)
 * accepts a socket and starts a {@code Connection} on a virtual thread ("conn-ID"). The
 * connection's {@code FrameReader} reads a size-prefixed frame into a reused buffer;
 * {@code RequestDispatcher} parses header and body with kafka-clients' generated classes, calls
 * the handler from {@link io.millrace.server.network.HandlerRegistry} and waits for its future;
 * {@code ResponseWriter} serializes the response into buffer parts (record buffers are not copied)
 * and the connection writes them with gathering writes before reading the next frame.
 *
 * <p>Imports: {@code server.api}, {@code millrace-common} and kafka-clients' message classes,
 * {@code RequestHeader}, {@code AbstractRequest}/{@code AbstractResponse}, never its network
 * classes. Nothing here imports handlers or the broker wiring.
 */
package io.millrace.server.network;
