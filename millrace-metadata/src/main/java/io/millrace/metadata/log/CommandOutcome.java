package io.millrace.metadata.log;

/**
 * What a controller command forwarded by another node came to: the request id its sender gave it
 * (the same on every retry) and the reply it got. Appended with the command's records
 * ({@link MetadataLog#append(java.util.List, CommandOutcome)}), so the nodes that replay the
 * batch remember the reply, and a retry that reaches the next active controller after a failover
 * is answered with it instead of running the command a second time. Immutable.
 *
 * @param requestId the sender's id of the request
 * @param reply     the command's reply (a record the quorum can encode)
 */
public record CommandOutcome(String requestId, Record reply) {
}
