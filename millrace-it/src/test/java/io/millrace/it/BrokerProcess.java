package io.millrace.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A Millrace node in its own OS process ({@code io.millrace.cli.Main server}), so a test can
 * kill it with SIGKILL. The process runs the test JVM's java binary and class path; its output
 * goes to a log file whose tail {@link #logTail} returns for failure messages.
 *
 * <p>The port is chosen once and kept across restarts, as is the data directory. Not
 * thread-safe: one test drives it. {@link #close()} kills whatever is still running.
 */
public final class BrokerProcess implements AutoCloseable {
    /** Generous: on a saturated 2-core machine a node's restart was seen to take 45 s to answer. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * JVM options of the nodes tests start ({@link #start}, {@link ClusterHarness}): C1 only, as
     * {@link ChildJvm}'s children. A node of a test lives seconds to a minute, and starting three
     * at once on two cores is CPU-bound: C1 alone took about 35% less CPU to bring a node up
     * (2.0 -> 1.3 s alone, 13-19 -> 8-12 s for three). {@code -Dmillrace.it.broker.jvm.options}
     * replaces them (e.g. {@code -XX:TieredStopAtLevel=4} for the JVM's default tiers).
     */
    private static final String TEST_JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    private final Path dataDir;
    private final Path logFile;
    private final Map<String, String> props;
    private final int port;
    private final List<String> jvmOptions;
    private Process process;
    private int starts;

    private BrokerProcess(Path dataDir, Path logFile, Map<String, String> props, int port, List<String> jvmOptions) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.props = props;
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Starts a node with data in {@code dataDir}; its output is appended to {@code logFile}.
     * Returns once the port accepts connections and an AdminClient's describeCluster answers.
     */
    public static BrokerProcess start(Path dataDir, Path logFile, Map<String, String> extraProps) {
        Map<String, String> props = new TreeMap<>();
        props.put("node.id", String.valueOf(InProcessBroker.NODE_ID));
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("num.partitions", "1");
        props.putAll(extraProps);
        BrokerProcess node = new BrokerProcess(dataDir, logFile, props, freePort(), testJvmOptions());
        node.launch();
        return node;
    }

    /**
     * A node that is not started yet, with exactly {@code props} (nothing added but
     * {@code listeners=PLAINTEXT://127.0.0.1:<port>} when {@code props} has no listeners), so a
     * cluster harness can start several before awaiting any: see {@link #spawn()} and
     * {@link #awaitStarted()}.
     */
    public static BrokerProcess unstarted(Path dataDir, Path logFile, Map<String, String> props, int port) {
        return unstarted(dataDir, logFile, props, port, List.of());
    }

    /** As {@link #unstarted(Path, Path, Map, int)}, the JVM given {@code jvmOptions} too. */
    public static BrokerProcess unstarted(Path dataDir, Path logFile, Map<String, String> props, int port,
                                          List<String> jvmOptions) {
        return new BrokerProcess(dataDir, logFile, new TreeMap<>(props), port, jvmOptions);
    }

    /** The JVM options of test nodes (see {@link #TEST_JVM_OPTIONS}). */
    public static List<String> testJvmOptions() {
        String options = System.getProperty("millrace.it.broker.jvm.options", TEST_JVM_OPTIONS);
        return Arrays.stream(options.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    /** Starts the process (it must not be running) without waiting for it to be ready. */
    public void spawn() {
        if (isAlive()) {
            throw new IllegalStateException("Already running");
        }
        startProcess();
    }

    /**
     * Waits until a {@link #spawn spawned} process accepts connections and answers
     * describeCluster; on failure kills it and fails with its output tail.
     */
    public void awaitStarted() {
        try {
            awaitReady();
        } catch (RuntimeException | AssertionError e) {
            String tail = logTail(40);
            close();
            // the reason first: a CI summary may keep only the message's first line
            throw new AssertionError("Broker process on port " + port + " did not become ready (" + e.getMessage()
                    + "); output tail:\n" + tail, e);
        }
    }

    /** The OS process id, or -1 when not running. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** The properties this node is started with. */
    public Map<String, String> properties() {
        return Map.copyOf(props);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the broker. Waits for the exit. */
    public void kill9() {
        Process p = requireRunning();
        p.destroyForcibly();
        awaitExit(p, "kill -9");
        process = null;
    }

    /** SIGTERM and wait for the exit; returns the exit code. */
    public int stopGracefully() {
        return stopGracefully(STOP_TIMEOUT);
    }

    /** SIGTERM and wait up to {@code timeout} for the exit; returns the exit code. */
    public int stopGracefully(Duration timeout) {
        Process p = requireRunning();
        p.destroy();
        int code = awaitExit(p, "graceful stop", timeout);
        process = null;
        return code;
    }

    /** Starts a new process on the same port and data directory (the previous must be stopped). */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("Still running: stop or kill it first");
        }
        launch();
    }

    /** The last {@code lines} lines of the process output, for failure messages. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no output file " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
    }

    private void launch() {
        startProcess();
        awaitStarted();
    }

    private void startProcess() {
        starts++;
        Map<String, String> overrides = new HashMap<>(props);
        overrides.putIfAbsent("listeners", "PLAINTEXT://127.0.0.1:" + port);
        // no web console or /metrics beside test nodes (a single node would otherwise take
        // 127.0.0.1:9080 and 127.0.0.1:9404, and a second node started meanwhile fail on them)
        overrides.putIfAbsent("millrace.console.listener", "");
        overrides.putIfAbsent("millrace.metrics.listener", "");
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.createDirectories(dataDir);
            Path config = dataDir.resolveSibling(dataDir.getFileName() + "-server.properties");
            StringBuilder properties = new StringBuilder("# written by BrokerProcess\n");
            props.forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
            Files.writeString(config, properties);
            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-Xmx256m");
            command.addAll(jvmOptions);
            if (!NodeClassArchive.isTraining(jvmOptions)) {
                command.addAll(NodeClassArchive.jvmOptions()); // the node's classes, archived once per test JVM
            }
            // development switches of capabilities not yet advertised (millrace.internal.*) reach the node too
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("millrace.internal."))
                    .sorted().forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
            command.add("-cp");
            command.add(nodeClassPath());
            command.add("io.millrace.cli.Main");
            command.add("server");
            command.add("--config");
            command.add(config.toString());
            overrides.forEach((k, v) -> {
                command.add("--override");
                command.add(k + "=" + v);
            });
            // The first start of this object begins a fresh file; restarts append to it.
            StandardOpenOption mode = starts == 1 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
            Files.writeString(logFile, "==== start #" + starts + ": " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the broker process", e);
        }
    }

    private void awaitReady() {
        // A process that dies while starting ends the wait at once rather than at the deadline.
        Await.until("port " + port + " accepts connections", START_TIMEOUT,
                () -> !process.isAlive() || portAccepts());
        failIfExited();
        try (Admin admin = Clients.admin(bootstrap())) {
            Await.until("describeCluster answers", START_TIMEOUT,
                    () -> !process.isAlive() || describeClusterAnswers(admin));
        }
        failIfExited();
    }

    private void failIfExited() {
        if (!process.isAlive()) {
            throw new IllegalStateException("The broker process exited with " + process.exitValue());
        }
    }

    private boolean portAccepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean describeClusterAnswers(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false; // not ready yet
        }
    }

    private Process requireRunning() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Not running");
        }
        return process;
    }

    private static int awaitExit(Process p, String what) {
        return awaitExit(p, what, STOP_TIMEOUT);
    }

    private static int awaitExit(Process p, String what, Duration timeout) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                throw new AssertionError(what + ": the broker process did not exit within " + timeout);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Surefire may run tests from a manifest-only jar; its real class path is in a property. */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * A node's class path: the test class path without this module's own class directories (a
     * node runs none of the test classes), so that, when the rest is jars, the JVM can share its
     * classes from an archive ({@link NodeClassArchive}: an archive refuses a class path with a
     * non-empty directory).
     */
    static String nodeClassPath() {
        Path own = Path.of("target").toAbsolutePath().normalize();
        return Arrays.stream(classPath().split(java.io.File.pathSeparator))
                .filter(entry -> !(Files.isDirectory(Path.of(entry))
                        && Path.of(entry).toAbsolutePath().normalize().getParent().equals(own)))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** Whether every entry of {@link #nodeClassPath()} is a jar (or missing, or an empty directory). */
    static boolean nodeClassPathIsJars() {
        return Arrays.stream(nodeClassPath().split(java.io.File.pathSeparator)).map(Path::of).noneMatch(entry -> {
            if (!Files.isDirectory(entry)) {
                return false;
            }
            try (var children = Files.list(entry)) {
                return children.findAny().isPresent();
            } catch (IOException e) {
                return true;
            }
        });
    }

    /** A port that was free a moment ago: see {@link FreePorts}. */
    static int freePort() {
        return FreePorts.next();
    }
}
