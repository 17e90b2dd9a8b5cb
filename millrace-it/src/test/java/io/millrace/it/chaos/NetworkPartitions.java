package io.millrace.it.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The proxies between the nodes of a {@link Target} and the partition they enforce: at most one
 * node is isolated at a time. Isolating a node closes every connection to it (its proxies) and
 * every connection it opened to the others (found by source port: the TCP sockets its process
 * owns, read from {@code /proc}), and refuses new ones both ways until {@link #heal()}. Clients
 * reach the nodes through the same proxies, so an isolated node is cut off from clients too, as
 * in a real partition of one machine.
 *
 * <p>Thread-safety: isolate and heal come from the test thread; admission runs on proxy threads.
 */
final class NetworkPartitions implements AutoCloseable {
    private final List<FaultProxy> proxies = new ArrayList<>();
    private volatile int isolatedNode = -1;
    private volatile LongSupplier isolatedPid = () -> -1;

    /** A proxy in front of {@code targetPort} of node {@code nodeId}; returns the port to advertise. */
    synchronized int proxy(int nodeId, int targetPort) {
        FaultProxy proxy = new FaultProxy(nodeId, targetPort);
        proxy.setAdmission(this::admits);
        proxies.add(proxy);
        return proxy.port();
    }

    /** Cuts node {@code nodeId} (whose process id {@code pid} gives, as it may restart) off from the rest. */
    synchronized void isolate(int nodeId, LongSupplier pid) {
        isolatedPid = pid;
        isolatedNode = nodeId;
        Set<Integer> ownPorts = localPorts(pid.getAsLong());
        for (FaultProxy proxy : proxies) {
            if (proxy.nodeId() == nodeId) {
                proxy.cut(port -> true);
            } else {
                proxy.cut(ownPorts::contains);
            }
        }
    }

    synchronized void heal() {
        isolatedNode = -1;
        isolatedPid = () -> -1;
    }

    @Override
    public synchronized void close() {
        proxies.forEach(FaultProxy::close);
        proxies.clear();
    }

    private boolean admits(int callerPort, int nodeId) {
        int isolated = isolatedNode;
        if (isolated < 0) {
            return true;
        }
        if (nodeId == isolated) {
            return false;
        }
        return !localPorts(isolatedPid.getAsLong()).contains(callerPort);
    }

    /** The local ports of the TCP sockets process {@code pid} holds open (Linux /proc). */
    static Set<Integer> localPorts(long pid) {
        Set<Integer> ports = new HashSet<>();
        if (pid <= 0) {
            return ports;
        }
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed meanwhile
                }
            });
        } catch (IOException e) {
            return ports; // the process is gone
        }
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 9 && inodes.contains(fields[9])) {
                        String local = fields[1];
                        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no IPv6 table, or a line being rewritten: skip
            }
        }
        return ports;
    }
}
