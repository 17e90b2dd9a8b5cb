package io.millrace.metadata.records;

/** One advertised listener of a broker, as it registered it. */
public record BrokerEndpoint(String listenerName, String host, int port, String securityProtocol) {
}
