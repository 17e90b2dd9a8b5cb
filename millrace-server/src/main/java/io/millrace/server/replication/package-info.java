/**
 * Replication, follower side: a follower copies each partition from its leader with the Fetch
 * API, as Kafka brokers do.
 *
 * <p>{@link io.millrace.server.replication.ReplicaFetcherManager} implements
 * {@link io.millrace.server.partition.FollowerFetching}: one
 * {@link io.millrace.server.replication.ReplicaFetcher} thread ("replica-fetcher-LEADER") per
 * leader broker, which sends one Fetch (v12+; topic ids from v13, replica state from v15) for all
 * the partitions it copies, incremental within a fetch session after the first (KIP-227,
 * {@link io.millrace.server.replication.FollowerFetchSession}), over a {@link io.millrace.server.replication.NodeConnection} (a
 * blocking Kafka-protocol client that negotiates versions with ApiVersions), and applies each
 * partition's answer ({@code FollowerLogUpdate}): append the leader's batches as they are, follow
 * its high watermark and log start offset, truncate a divergent suffix the leader points out
 * (KIP-595 diverging epoch, {@link io.millrace.server.replication.DivergenceTruncation}), restart
 * at the leader's log start when it is behind it. While a fetcher follows a partition it is the
 * only writer of that log.
 *
 * <p>Imports: {@code server.partition} (the contract and {@code Partition}), storage, wire,
 * common, kafka-clients' generated messages; never kafka-clients' network client.
 */
package io.millrace.server.replication;
