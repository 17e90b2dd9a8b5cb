package io.millrace.cli;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@code millrace server}: an optional properties file and {@code key=value}
 * overrides applied on top of it, later ones winning.
 *
 * <pre>
 * server [--config FILE | FILE] [--override key=value]... [--help]
 * </pre>
 *
 * @param config    the server.properties file, or null to use defaults only
 * @param overrides keys and values given with --override, in order
 * @param help      --help was given
 */
record ServerArgs(Path config, Map<String, String> overrides, boolean help) {

    static ServerArgs parse(List<String> args) throws UsageException {
        Path config = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inlineValue = option.equals(arg) ? null : arg.substring(option.length() + 1);
            switch (option) {
                case "-h", "--help" -> help = true;
                case "-c", "--config" -> {
                    String file = inlineValue != null ? inlineValue : next(args, ++i, option);
                    config = setConfig(config, file);
                }
                case "-o", "--override" -> {
                    String pair = inlineValue != null ? inlineValue : next(args, ++i, option);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--override needs key=value, got '" + pair + "'");
                    }
                    overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    // kafka-server-start.sh style: the properties file as a plain argument.
                    config = setConfig(config, arg);
                }
            }
        }
        return new ServerArgs(config, Collections.unmodifiableMap(overrides), help);
    }

    private static String next(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static Path setConfig(Path current, String file) throws UsageException {
        if (current != null) {
            throw new UsageException("only one config file may be given");
        }
        if (file.isBlank()) {
            throw new UsageException("--config needs a file name");
        }
        return Path.of(file);
    }
}
