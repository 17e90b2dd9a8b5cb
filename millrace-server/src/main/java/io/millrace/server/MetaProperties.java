package io.millrace.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The identity stamped into every log dir ({@code meta.properties}, as in Kafka): the cluster
 * id, made on first start, and the node id, so a log dir is never silently reused by another
 * node or cluster.
 *
 * <p>Format: java.util.Properties with {@code version=1}, {@code cluster.id}, {@code node.id}.
 */
final class MetaProperties {
    static final String FILE = "meta.properties";

    private MetaProperties() {
    }

    /** Reads or creates meta.properties in every dir; returns the cluster id. */
    static String ensure(List<Path> logDirs, int nodeId, String configuredClusterId) {
        String clusterId = configuredClusterId;
        for (Path dir : logDirs) {
            Properties props = read(dir.resolve(FILE));
            if (props == null) {
                continue;
            }
            String found = props.getProperty("cluster.id");
            String foundNode = props.getProperty("node.id");
            if (foundNode != null && Integer.parseInt(foundNode) != nodeId) {
                throw new IllegalStateException("Log dir " + dir + " belongs to node " + foundNode
                        + " but this is node.id=" + nodeId + "; use another log.dirs or the matching node.id");
            }
            if (clusterId != null && found != null && !clusterId.equals(found)) {
                throw new IllegalStateException("Log dir " + dir + " belongs to cluster " + found
                        + " but this node is in cluster " + clusterId);
            }
            clusterId = found;
        }
        if (clusterId == null) {
            clusterId = Uuid.randomUuid().toString();
        }
        for (Path dir : logDirs) {
            Path file = dir.resolve(FILE);
            if (!Files.exists(file)) {
                write(file, clusterId, nodeId);
            }
        }
        return clusterId;
    }

    private static Properties read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties props = new Properties();
            props.load(reader);
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static void write(Path file, String clusterId, int nodeId) {
        Properties props = new Properties();
        props.setProperty("version", "1");
        props.setProperty("cluster.id", clusterId);
        props.setProperty("node.id", Integer.toString(nodeId));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (Writer writer = Files.newBufferedWriter(tmp)) {
                props.store(writer, "Written by Millrace; do not edit");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
