package io.millrace.cli;

import io.millrace.cli.client.ClientCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The {@code millrace} command: {@code server}, {@code cluster}, {@code storage}, {@code version},
 * {@code --help}.
 * Exit codes: 0 success, 1 failure (bad configuration, failed start), 2 bad command line.
 */
public final class Main {

    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: millrace <command> [options]

            Commands:
              server [--config FILE] [--override key=value]...
                         Run a broker. FILE is a Kafka-style server.properties; each --override
                         sets one key on top of it. With neither, a single node listens on
                         PLAINTEXT://127.0.0.1:9092 and keeps its data in ./data.
              cluster [--nodes N] [--data-dir DIR] [--override key=value]...
                         Run a local cluster of N nodes (default 3, at most 9), each its own
                         process: data, server.properties and server.log in DIR/node-N (DIR
                         defaults to ./data), clients on 127.0.0.1:9092..., the controller quorum
                         on 127.0.0.1:19092.... Each --override is set on every node. Ctrl-C stops
                         every node cleanly.
              storage random-uuid | format -t ID -c FILE [--ignore-formatted] | info -c FILE
                         As Kafka's kafka-storage.sh: print a new cluster id; write meta.properties
                         with cluster id ID into every log dir of the node FILE configures (a node
                         then keeps that id); show each dir's meta.properties.

            Client commands (against --bootstrap-server, default localhost:9092; Apache Kafka too;
            each has --help, --output json and --command-config FILE):
              topic create|list|describe|alter|delete
              produce TOPIC [--file F] [--key-separator S] [--header K=V]... [--acks A] [--compression C]
              consume TOPIC [--from beginning|end|offset:N|timestamp:MS] [--group G] [-n N] [--follow]
                            [--format '%k %s\\n' (kcat's)]
              group list|describe GROUP|reset-offsets GROUP --topic T --to-earliest|...|delete GROUP
              cluster status   brokers, controller, quorum, partitions not fully replicated (exit 3)
              console [--listen HOST:PORT] [--enable-actions]
                               the web console (default http://127.0.0.1:9080/), until Ctrl-C
              completion       a bash completion script: source <(./millrace completion)

              version    Print the version.
              help       Print this help (also --help).
            """;

    private Main() {
    }

    /**
     * Workers of the JVM's common ForkJoinPool unless the JVM was given
     * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism}. The default is one fewer than
     * the cores, so one worker on two cores, and Apache Ratis' client runs its reply handling there
     * and blocks a worker for 3-5 s while it resets a connection to a new quorum leader: with a
     * single worker, every forwarded controller command of the node (broker heartbeats too) waited
     * behind it. Idle workers cost nothing; they start on demand.
     */
    static final int COMMON_POOL_PARALLELISM = 8;

    public static void main(String[] args) {
        // Before anything touches the common pool, which reads the property once.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                    Integer.toString(Math.max(COMMON_POOL_PARALLELISM, Runtime.getRuntime().availableProcessors())));
        }
        ServerCommand server = new ServerCommand(MillraceBroker::new, Runtime.getRuntime()::addShutdownHook);
        ClusterCommand cluster = new ClusterCommand(Runtime.getRuntime()::addShutdownHook);
        int code = run(args, System.out, System.err, server, cluster);
        // After a signal the JVM is already exiting; System.exit would only block in that case.
        if (code != 0 || !(server.stopRequested() || cluster.stopRequested())) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err, ServerCommand server) {
        return run(args, out, err, server, new ClusterCommand(thread -> {
            throw new IllegalStateException("no cluster in this run");
        }));
    }

    static int run(String[] args, PrintStream out, PrintStream err, ServerCommand server, ClusterCommand cluster) {
        if (args.length == 0) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        if (ClientCli.handles(args)) {
            return ClientCli.run(args, out, err);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "server" -> {
                try {
                    ServerArgs serverArgs = ServerArgs.parse(rest);
                    if (serverArgs.help()) {
                        out.print(USAGE_TEXT);
                        return 0;
                    }
                    return server.run(serverArgs, err);
                } catch (UsageException e) {
                    err.println("millrace server: " + e.getMessage());
                    err.print(USAGE_TEXT);
                    return USAGE;
                }
            }
            case "cluster" -> {
                try {
                    ClusterArgs clusterArgs = ClusterArgs.parse(rest);
                    if (clusterArgs.help()) {
                        out.print(USAGE_TEXT);
                        return 0;
                    }
                    return cluster.run(clusterArgs, out, err);
                } catch (UsageException e) {
                    err.println("millrace cluster: " + e.getMessage());
                    err.print(USAGE_TEXT);
                    return USAGE;
                }
            }
            case "storage" -> {
                try {
                    return StorageCommand.run(rest, out, err);
                } catch (UsageException e) {
                    err.println("millrace storage: " + e.getMessage());
                    err.print(StorageCommand.USAGE_TEXT);
                    return USAGE;
                }
            }
            case "version", "--version", "-V" -> {
                out.println("Millrace " + version());
                return 0;
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE_TEXT);
                return 0;
            }
            default -> {
                err.println("millrace: unknown command '" + args[0] + "'");
                err.print(USAGE_TEXT);
                return USAGE;
            }
        }
    }

    /** The project version, filled in by the build. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Fall through to "unknown": the version is informational.
        }
        return properties.getProperty("version", "unknown");
    }
}
