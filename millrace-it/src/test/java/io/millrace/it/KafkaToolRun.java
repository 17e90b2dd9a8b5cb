package io.millrace.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * Runs an Apache Kafka kafka-tools command in this JVM with {@code --bootstrap-server} and its
 * stdout/stderr captured: its {@code mainNoExit}, or (TransactionsCommand has none) its
 * {@code main} with Kafka's {@link Exit} procedure turned into an exit code; the result parses the
 * tools' whitespace-aligned tables. Swaps {@code System.out}/{@code System.err} while it runs, so calls
 * are serialised on the class.
 */
record KafkaToolRun(int exitCode, String stdout, String stderr) {
    private static final Pattern LOG_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:");

    static synchronized KafkaToolRun run(Class<?> command, String bootstrap, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = invoke(command, all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            Exit.resetExitProcedure();
        }
        KafkaToolRun run = new KafkaToolRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        stdout.println(command.getSimpleName() + " " + String.join(" ", args) + " -> " + code + "\n" + run.stdout()
                + run.stderr());
        return run;
    }

    private static int invoke(Class<?> command, String[] args) throws Exception {
        try {
            Method mainNoExit = command.getDeclaredMethod("mainNoExit", String[].class);
            mainNoExit.setAccessible(true);
            return (int) mainNoExit.invoke(null, (Object) args);
        } catch (NoSuchMethodException e) {
            Exit.setExitProcedure((status, message) -> {
                throw new ExitCalled(status);
            });
            try {
                command.getMethod("main", String[].class).invoke(null, (Object) args);
                return 0;
            } catch (InvocationTargetException invoked) {
                if (invoked.getCause() instanceof ExitCalled exit) {
                    return exit.status;
                }
                throw invoked;
            }
        }
    }

    /** Thrown by the exit procedure, so a command's exit ends it without ending the JVM. */
    private static final class ExitCalled extends RuntimeException {
        final int status;

        ExitCalled(int status) {
            super("exit " + status, null, false, false);
            this.status = status;
        }
    }

    /** The non-empty lines of stdout, without log lines (the test logging writes to stdout too). */
    private List<String> lines() {
        return stdout.lines().map(String::trim).filter(l -> !l.isEmpty() && !LOG_LINE.matcher(l).lookingAt()).toList();
    }

    /** The table's data rows (header dropped), each split on whitespace. */
    List<List<String>> rows() {
        List<String> lines = lines();
        return lines.stream().skip(1).map(l -> Arrays.asList(l.split("\\s+"))).toList();
    }

    /** The value under {@code column} in the table's only row ("" when empty). */
    String only(String column) {
        List<String> lines = lines();
        if (lines.size() != 2) {
            throw new AssertionError("expected a header and one row: " + this);
        }
        int index = Arrays.asList(lines.get(0).split("\\s+")).indexOf(column);
        if (index < 0) {
            throw new AssertionError("no column " + column + " in " + lines.get(0));
        }
        String[] row = lines.get(1).split("\\s+");
        return index < row.length ? row[index] : ""; // an empty last column
    }
}
