package io.millrace.cli;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.server.MetaProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * {@code millrace storage}, Kafka's {@code kafka-storage.sh} for a Millrace node, so provisioning
 * scripts written for Kafka work:
 *
 * <pre>
 * storage random-uuid                      print a new cluster id
 * storage format -t ID -c FILE [--override key=value]... [-g|--ignore-formatted]
 *                [-s|--standalone] [-r|--release-version V] [-f|--feature name=level]...
 * storage info -c FILE                     print each dir's meta.properties
 * </pre>
 *
 * {@code format} writes {@code meta.properties} (version=1, node.id, cluster.id, directory.id)
 * into every log dir and the metadata log dir; a node formatted so runs with that cluster id
 * whatever it is later configured to derive. Kafka's dynamic-quorum flags
 * ({@code --initial-controllers}, {@code --no-initial-controllers}) are refused, and
 * {@code --standalone} is accepted only for a node with no controller.quorum.voters (a single
 * node is its own quorum). {@code --release-version} and {@code --feature} are accepted and ignored:
 * Millrace's metadata has one version; {@code --add-scram} is refused, naming how to create SCRAM
 * users on the running cluster instead. Stateless.
 */
final class StorageCommand {
    static final int OK = 0;
    static final int FAILED = 1;

    static final String USAGE_TEXT = """
            Usage: millrace storage <random-uuid | format | info> [options]
              random-uuid  Print a new cluster id.
              format -t|--cluster-id ID -c|--config FILE [--override key=value]... [-g|--ignore-formatted]
                           Write meta.properties with ID into every log dir and metadata.log.dir.
              info -c|--config FILE
                           Print each dir's meta.properties.
            """;

    private StorageCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        if (args.isEmpty()) {
            throw new UsageException("storage needs a command: random-uuid, format or info");
        }
        Options options = Options.parse(args.subList(1, args.size()));
        switch (args.get(0)) {
            case "random-uuid" -> {
                out.println(Uuid.randomUuid());
                return OK;
            }
            case "format" -> {
                return format(options, out, err);
            }
            case "info" -> {
                return info(options, out, err);
            }
            case "-h", "--help", "help" -> {
                out.print(USAGE_TEXT);
                return OK;
            }
            default -> throw new UsageException("unknown storage command '" + args.get(0) + "'");
        }
    }

    private static int format(Options options, PrintStream out, PrintStream err) throws UsageException {
        if (options.clusterId == null) {
            throw new UsageException("format needs --cluster-id (-t); make one with 'millrace storage random-uuid'");
        }
        if (options.initialControllers) {
            err.println("millrace storage: --initial-controllers and --no-initial-controllers are for a dynamic "
                    + "quorum (KIP-853), which Millrace does not support: list the voters in controller.quorum.voters");
            return FAILED;
        }
        try {
            Uuid.fromString(options.clusterId);
        } catch (IllegalArgumentException e) {
            err.println("millrace storage: cluster id " + options.clusterId + " is not a valid UUID in Kafka's "
                    + "base64 form; make one with 'millrace storage random-uuid'");
            return FAILED;
        }
        BrokerConfig config = load(options, err);
        if (config == null) {
            return FAILED;
        }
        List<String> voters = config.getList(BrokerConfigs.CONTROLLER_QUORUM_VOTERS);
        if (options.standalone && voters != null && !voters.isEmpty()) {
            err.println("millrace storage: --standalone is for a single-node quorum, but controller.quorum.voters="
                    + String.join(",", voters) + " is set; drop --standalone");
            return FAILED;
        }
        String configured = config.clusterId().orElse(null);
        if (configured != null && !configured.equals(options.clusterId)) {
            err.println("millrace storage: --cluster-id " + options.clusterId + " differs from cluster.id=" + configured
                    + " in the configuration; the node would refuse to start");
            return FAILED;
        }
        try {
            List<Path> formatted = MetaProperties.format(dirs(config), config.nodeId(), options.clusterId,
                    options.ignoreFormatted);
            if (formatted.isEmpty()) {
                out.println("All of the log directories are already formatted.");
            }
            for (Path dir : formatted) {
                out.println("Formatted " + dir + " for node " + config.nodeId() + " of cluster " + options.clusterId);
            }
            return OK;
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            err.println("millrace storage: " + ServerCommand.describe(e));
            return FAILED;
        }
    }

    private static int info(Options options, PrintStream out, PrintStream err) throws UsageException {
        BrokerConfig config = load(options, err);
        if (config == null) {
            return FAILED;
        }
        for (Path dir : dirs(config)) {
            Properties props = MetaProperties.read(dir.resolve(MetaProperties.FILE));
            out.println(dir + ": " + (props == null ? "not formatted" : "node.id=" + props.getProperty("node.id")
                    + " cluster.id=" + props.getProperty("cluster.id")
                    + " directory.id=" + props.getProperty("directory.id")));
        }
        return OK;
    }

    /** Every log dir and the metadata log dir, each once. */
    private static List<Path> dirs(BrokerConfig config) {
        List<Path> dirs = new ArrayList<>(config.logDirs());
        dirs.add(config.metadataLogDir());
        return dirs.stream().map(d -> d.toAbsolutePath().normalize()).distinct().toList();
    }

    private static BrokerConfig load(Options options, PrintStream err) throws UsageException {
        if (options.config == null) {
            throw new UsageException("needs --config (-c) FILE, the node's server.properties");
        }
        try {
            return BrokerConfig.fromProperties(ServerProperties.load(options.config, options.overrides));
        } catch (NoSuchFileException e) {
            err.println("millrace storage: config file not found: " + e.getFile());
        } catch (IOException | IllegalArgumentException e) {
            err.println("millrace storage: cannot read config file " + options.config + ": " + e.getMessage());
        } catch (ConfigException e) {
            err.println("millrace storage: " + e.getMessage());
        }
        return null;
    }

    /** The options every storage command accepts; each command uses the ones it needs. */
    private static final class Options {
        String clusterId;
        Path config;
        final Map<String, String> overrides = new LinkedHashMap<>();
        boolean ignoreFormatted;
        boolean standalone;
        boolean initialControllers;

        static Options parse(List<String> args) throws UsageException {
            Options o = new Options();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String option = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String inline = option.equals(arg) ? null : arg.substring(option.length() + 1);
                switch (option) {
                    case "-t", "--cluster-id" -> o.clusterId = inline != null ? inline : next(args, ++i, option);
                    case "-c", "--config" -> o.config = Path.of(inline != null ? inline : next(args, ++i, option));
                    case "-o", "--override" -> {
                        String pair = inline != null ? inline : next(args, ++i, option);
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            throw new UsageException("--override needs key=value, got '" + pair + "'");
                        }
                        o.overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
                    }
                    case "-g", "--ignore-formatted" -> o.ignoreFormatted = true;
                    case "-s", "--standalone" -> o.standalone = true;
                    case "-I", "--initial-controllers" -> {
                        if (inline == null) {
                            next(args, ++i, option);
                        }
                        o.initialControllers = true;
                    }
                    case "-N", "--no-initial-controllers" -> o.initialControllers = true;
                    case "-S", "--add-scram" -> throw new UsageException("--add-scram: storage format does not "
                            + "write SCRAM credentials; once the cluster runs, create them with kafka-configs.sh "
                            + "--alter --entity-type users --add-config 'SCRAM-SHA-256=[password=...]' (or the "
                            + "Admin API's alterUserScramCredentials)");
                    case "-r", "--release-version", "-f", "--feature" -> {
                        if (inline == null) {
                            next(args, ++i, option);
                        }
                    }
                    default -> throw new UsageException("unknown option '" + arg + "'");
                }
            }
            return o;
        }

        private static String next(List<String> args, int i, String option) throws UsageException {
            if (i >= args.size()) {
                throw new UsageException(option + " needs a value");
            }
            return args.get(i);
        }
    }
}
