package io.millrace.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs kcat (librdkafka's command-line client) found on the PATH, each run bounded by 30 s. */
final class Kcat {
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);

    private final Path executable;
    private final Path outputDir;

    private Kcat(Path executable, Path outputDir) {
        this.executable = executable;
        this.outputDir = outputDir;
    }

    /** kcat from the PATH, writing its output under {@code outputDir}; null when not installed. */
    static Kcat find(Path outputDir) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kcat");
            if (Files.isExecutable(candidate)) {
                return new Kcat(candidate, outputDir);
            }
        }
        return null;
    }

    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().filter(l -> !l.isEmpty()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    /** The version of the librdkafka kcat runs on, from {@code kcat -V}: major, minor, patch. */
    int[] librdkafkaVersion() throws IOException, InterruptedException {
        Result result = run("", "-V");
        Matcher matcher = Pattern.compile("librdkafka (\\d+)\\.(\\d+)\\.(\\d+)")
                .matcher(result.stdout() + result.stderr());
        if (!matcher.find()) {
            throw new AssertionError("No librdkafka version in kcat -V: " + result);
        }
        return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3))};
    }

    /** Runs kcat with {@code stdin} as its input. */
    Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(outputDir, "kcat", ".out");
        Path err = Files.createTempFile(outputDir, "kcat", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            try (var input = process.getOutputStream()) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("kcat did not finish within " + PROCESS_TIMEOUT + ": " + command
                        + "\n--- stderr:\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
