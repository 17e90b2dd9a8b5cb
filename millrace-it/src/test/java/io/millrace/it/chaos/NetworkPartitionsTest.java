package io.millrace.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxies the fault test partitions nodes with, over real sockets: traffic passes, an
 * isolated process's connections are cut (found by their source ports in /proc) and new ones
 * refused, and everything passes again after heal.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetworkPartitionsTest {
    @Test
    void cutsTheIsolatedProcessOffAndHeals() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             NetworkPartitions network = new NetworkPartitions()) {
            Thread.ofVirtual().start(() -> serveEcho(echo));
            int port = network.proxy(1, echo.getLocalPort());
            long self = ProcessHandle.current().pid();
            try (Socket before = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertEquals(7, roundTrip(before, 7));
                assertTrue(NetworkPartitions.localPorts(self).contains(before.getLocalPort()),
                        "this process's sockets are found in /proc");

                network.isolate(2, () -> self); // another node's proxy sees this process as node 2
                assertThrows(IOException.class, () -> roundTrip(before, 8), "the open connection is cut");
                try (Socket during = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    assertThrows(IOException.class, () -> roundTrip(during, 9), "a new connection is refused");
                }
            }
            network.heal();
            try (Socket after = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertEquals(10, roundTrip(after, 10));
            }
        }
    }

    private static int roundTrip(Socket socket, int value) throws IOException {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(value);
        out.flush();
        int read = socket.getInputStream().read();
        if (read < 0) {
            throw new IOException("closed");
        }
        return read;
    }

    private static void serveEcho(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                        int b;
                        while ((b = in.read()) >= 0) {
                            out.write(b);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // closed
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }
}
