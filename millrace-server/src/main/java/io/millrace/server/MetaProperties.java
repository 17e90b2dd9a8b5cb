package io.millrace.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The identity stamped into every log dir and the metadata log dir ({@code meta.properties}, as
 * Kafka writes it): the cluster id and the node id, so a dir is never silently reused by another
 * node or cluster. Written by {@code millrace storage format} (as {@code kafka-storage.sh format})
 * or, when a node starts on unformatted dirs, by the node itself.
 *
 * <p>Which cluster id a node uses: the one in meta.properties if any dir has it; else the
 * configured {@code cluster.id}; else the id derived from the voters; else a new random one. A
 * configured cluster.id that differs from meta.properties stops start-up.
 *
 * <p>Format: java.util.Properties with {@code version=1}, {@code cluster.id}, {@code node.id} and
 * {@code directory.id} (a random Kafka Uuid per dir). Stateless.
 */
public final class MetaProperties {
    public static final String FILE = "meta.properties";

    /** Where the cluster id a node runs with came from. */
    public enum Source {
        META_PROPERTIES("meta.properties"), CONFIGURED("cluster.id"),
        DERIVED("derived from controller.quorum.voters"), NEW("new");

        private final String text;

        Source(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The cluster id a node runs with and where it came from. */
    public record Identity(String clusterId, Source source) {
    }

    private MetaProperties() {
    }

    /**
     * Reads meta.properties in every dir, checks it against this node, decides the cluster id and
     * writes meta.properties where it is missing.
     *
     * @param configured cluster.id from the configuration, or null
     * @param derived    the id derived from the quorum's voters, or null (a single node)
     * @throws IllegalStateException with a one-line reason when a dir belongs to another node or
     *                               cluster, or cluster.id conflicts with meta.properties
     */
    public static Identity ensure(List<Path> dirs, int nodeId, String configured, String derived) {
        String stored = null;
        Path storedIn = null;
        for (Path dir : distinct(dirs)) {
            Properties props = read(dir.resolve(FILE));
            if (props == null) {
                continue;
            }
            checkNode(dir, props, nodeId);
            String found = props.getProperty("cluster.id");
            if (found == null) {
                continue;
            }
            if (stored != null && !stored.equals(found)) {
                throw new IllegalStateException("Log dirs disagree on the cluster: " + storedIn + " belongs to cluster "
                        + stored + " but " + dir + " to cluster " + found);
            }
            stored = found;
            storedIn = dir;
        }
        if (stored != null && configured != null && !configured.equals(stored)) {
            throw new IllegalStateException("cluster.id=" + configured + " conflicts with cluster.id=" + stored + " in "
                    + storedIn.resolve(FILE) + "; remove the cluster.id line or format other log.dirs");
        }
        Identity identity = stored != null ? new Identity(stored, Source.META_PROPERTIES)
                : configured != null ? new Identity(configured, Source.CONFIGURED)
                : derived != null ? new Identity(derived, Source.DERIVED)
                : new Identity(Uuid.randomUuid().toString(), Source.NEW);
        for (Path dir : distinct(dirs)) {
            Path file = dir.resolve(FILE);
            if (!Files.exists(file)) {
                write(file, identity.clusterId(), nodeId);
            }
        }
        return identity;
    }

    /**
     * {@code storage format}: writes meta.properties into every dir. A dir already formatted
     * fails the whole call before anything is written, unless {@code ignoreFormatted}, which
     * skips it (it must still belong to this node).
     *
     * @return the dirs formatted now (empty when all were formatted and ignored)
     * @throws IllegalStateException with a one-line reason
     */
    public static List<Path> format(List<Path> dirs, int nodeId, String clusterId, boolean ignoreFormatted) {
        List<Path> toFormat = new ArrayList<>();
        for (Path dir : distinct(dirs)) {
            Properties props = read(dir.resolve(FILE));
            if (props == null) {
                toFormat.add(dir);
            } else if (!ignoreFormatted) {
                throw new IllegalStateException("Log directory " + dir + " is already formatted (cluster "
                        + props.getProperty("cluster.id") + "). Use --ignore-formatted to ignore this directory "
                        + "and format the others.");
            } else {
                checkNode(dir, props, nodeId);
            }
        }
        for (Path dir : toFormat) {
            write(dir.resolve(FILE), clusterId, nodeId);
        }
        return toFormat;
    }

    /** The properties of {@code dir/meta.properties}, or null when the dir is not formatted. */
    public static Properties read(Path file) {
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

    private static void checkNode(Path dir, Properties props, int nodeId) {
        String foundNode = props.getProperty("node.id");
        if (foundNode != null && Integer.parseInt(foundNode.trim()) != nodeId) {
            throw new IllegalStateException("Log dir " + dir + " belongs to node " + foundNode
                    + " but this is node.id=" + nodeId + "; use another log.dirs or the matching node.id");
        }
    }

    private static List<Path> distinct(List<Path> dirs) {
        LinkedHashSet<Path> set = new LinkedHashSet<>();
        for (Path dir : dirs) {
            set.add(dir.toAbsolutePath().normalize());
        }
        return List.copyOf(set);
    }

    private static void write(Path file, String clusterId, int nodeId) {
        Properties props = new Properties();
        props.setProperty("version", "1");
        props.setProperty("cluster.id", clusterId);
        props.setProperty("node.id", Integer.toString(nodeId));
        props.setProperty("directory.id", Uuid.randomUuid().toString());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            // as Kafka: the new file reaches the disk before it replaces the name, and the rename
            // before the call returns, so a crash never leaves an empty or missing meta.properties
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8);
                props.store(writer, "Written by Millrace; do not edit");
                writer.flush();
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
