package io.millrace.cli.client;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The client side of {@code millrace}: {@code topic}, {@code produce}, {@code consume},
 * {@code group}, {@code cluster status}, {@code console} and {@code completion}, on picocli, against any
 * Kafka-compatible cluster through kafka-clients' public API (so Apache Kafka too). Exit codes:
 * 0 done, 1 failed (one line on stderr naming what, where and why), 2 bad command line, 3
 * ({@code cluster status}) some partition not fully replicated. Stateless.
 */
public final class ClientCli {
    private static final Set<String> COMMANDS = Set.of("topic", "produce", "consume", "group", "completion", "console");

    private ClientCli() {
    }

    /** Whether {@code args} is a client command (the rest of {@code millrace} runs servers). */
    public static boolean handles(String[] args) {
        return args.length > 0 && (COMMANDS.contains(args[0])
                || (args[0].equals("cluster") && args.length > 1 && args[1].equals("status")));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        // A command reports its own failure in one line; the clients' retry warnings would bury it.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        CommandLine cli = commandLine();
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Root());
        cli.addSubcommand("completion", new Completion());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String what = commandLine.getCommandSpec().qualifiedName();
            String message = e instanceof CliException ? e.getMessage()
                    : e.getMessage() + " (" + e.getClass().getSimpleName() + ")";
            commandLine.getErr().println(what + ": " + message);
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    @Command(name = "millrace", mixinStandardHelpOptions = true,
            description = "Client commands of Millrace; they work against Apache Kafka as well.",
            subcommands = {TopicCommand.class, ProduceCommand.class, ConsumeCommand.class, GroupCommand.class,
                    ClusterGroup.class, ConsoleCommand.class})
    static final class Root {
    }

    @Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster-wide views (the local cluster launcher is 'millrace cluster --nodes N').",
            subcommands = ClusterStatusCommand.class)
    static final class ClusterGroup {
    }

    @Command(name = "completion", description = "Print a bash/zsh completion script for the client commands: "
            + "source <(./millrace completion)", mixinStandardHelpOptions = true)
    static final class Completion implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine root = spec.parent().commandLine();
            spec.commandLine().getOut().print(AutoComplete.bash("millrace", root));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
