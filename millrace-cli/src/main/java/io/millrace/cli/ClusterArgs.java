package io.millrace.cli;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@code millrace cluster}: how many nodes, where their data lives, and
 * {@code key=value} overrides written into every node's server.properties.
 *
 * <pre>
 * cluster [--nodes N] [--data-dir DIR] [--override key=value]... [--help]
 * </pre>
 *
 * @param nodes     number of nodes, 1 to {@link #MAX_NODES} (default 3)
 * @param dataDir   the directory holding node-1 ... node-N and cluster.id (default ./data)
 * @param overrides keys and values given with --override, in order
 * @param help      --help was given
 */
record ClusterArgs(int nodes, Path dataDir, Map<String, String> overrides, boolean help) {

    static final int DEFAULT_NODES = 3;
    static final int MAX_NODES = 9;
    static final Path DEFAULT_DATA_DIR = Path.of("data");

    static ClusterArgs parse(List<String> args) throws UsageException {
        int nodes = DEFAULT_NODES;
        Path dataDir = DEFAULT_DATA_DIR;
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inlineValue = option.equals(arg) ? null : arg.substring(option.length() + 1);
            switch (option) {
                case "-h", "--help" -> help = true;
                case "-n", "--nodes" -> nodes = parseNodes(inlineValue != null ? inlineValue : next(args, ++i, option));
                case "-d", "--data-dir" -> {
                    String dir = inlineValue != null ? inlineValue : next(args, ++i, option);
                    if (dir.isBlank()) {
                        throw new UsageException("--data-dir needs a directory");
                    }
                    dataDir = Path.of(dir);
                }
                case "-o", "--override" -> {
                    String pair = inlineValue != null ? inlineValue : next(args, ++i, option);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--override needs key=value, got '" + pair + "'");
                    }
                    overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
                }
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return new ClusterArgs(nodes, dataDir, Collections.unmodifiableMap(overrides), help);
    }

    private static int parseNodes(String value) throws UsageException {
        int nodes;
        try {
            nodes = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--nodes needs a number from 1 to " + MAX_NODES + ", got '" + value + "'");
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new UsageException("--nodes must be from 1 to " + MAX_NODES + ", got " + nodes);
        }
        return nodes;
    }

    private static String next(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }
}
