package io.millrace.quorum;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How this node takes part in the metadata quorum.
 *
 * @param nodeId            this node's id (node.id)
 * @param voters            every voter's id and Raft address (controller.quorum.voters)
 * @param dataDir           where this node keeps its Raft log and snapshots
 *                          ({@code <metadata.log.dir>/__cluster_metadata-0/raft})
 * @param clusterId         the cluster id; the Raft group id derives from it
 * @param voter             whether this node is one of the voters (a controller); a broker-only
 *                          node is not and only talks to the quorum as a client
 * @param snapshotThreshold log entries between automatic snapshots
 */
public record QuorumConfig(int nodeId, Map<Integer, InetSocketAddress> voters, Path dataDir, String clusterId,
                           boolean voter, long snapshotThreshold) {
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

    public QuorumConfig {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("The metadata quorum needs at least one voter");
        }
        if (voter && !voters.containsKey(nodeId)) {
            throw new IllegalArgumentException("Node " + nodeId + " is a voter but not in the voters " + voters.keySet());
        }
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("snapshotThreshold must be positive: " + snapshotThreshold);
        }
        voters = Map.copyOf(voters);
    }

    /** A config with the default snapshot threshold; a voter when {@code nodeId} is among the voters. */
    public static QuorumConfig of(int nodeId, Map<Integer, InetSocketAddress> voters, Path dataDir, String clusterId) {
        return new QuorumConfig(nodeId, voters, dataDir, clusterId, voters.containsKey(nodeId),
                DEFAULT_SNAPSHOT_THRESHOLD);
    }

    /**
     * Parses controller.quorum.voters: {@code "1@host:port,2@host:port,..."} (an IPv6 host in
     * brackets). Addresses are left unresolved.
     */
    public static Map<Integer, InetSocketAddress> parseVoters(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("controller.quorum.voters is empty");
        }
        Map<Integer, InetSocketAddress> voters = new TreeMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            int at = trimmed.indexOf('@');
            int colon = trimmed.lastIndexOf(':');
            if (at <= 0 || colon <= at + 1 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException("Invalid voter '" + trimmed + "': expected id@host:port");
            }
            int id;
            int port;
            try {
                id = Integer.parseInt(trimmed.substring(0, at));
                port = Integer.parseInt(trimmed.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid voter '" + trimmed + "': expected id@host:port", e);
            }
            String host = trimmed.substring(at + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (id < 0 || port < 1 || port > 65535) {
                throw new IllegalArgumentException("Invalid voter '" + trimmed + "'");
            }
            if (voters.put(id, InetSocketAddress.createUnresolved(host, port)) != null) {
                throw new IllegalArgumentException("Voter " + id + " appears twice in '" + value + "'");
            }
        }
        return Map.copyOf(voters);
    }
}
