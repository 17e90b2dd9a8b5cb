package io.millrace.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** A proxy in front of a dead node refuses connections, as the node's own port would, and listens again once it is back. */
class FaultProxyTest {
    private static boolean refused(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Test
    void refusesWhileTheNodeIsDownAndListensAgainWhenItIsBack() throws Exception {
        int nodePort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            nodePort = probe.getLocalPort(); // free again below: the node is "down"
        }
        try (FaultProxy proxy = new FaultProxy(1, nodePort)) {
            int port = proxy.port();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!refused(port)) { // the first connect is accepted, finds the node down and closes
                assertTrue(System.nanoTime() < deadline, "the proxy never refused a connection");
                Thread.sleep(20);
            }
            try (ServerSocket node = new ServerSocket()) {
                node.setReuseAddress(true);
                node.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), nodePort));
                while (refused(port)) {
                    assertTrue(System.nanoTime() < deadline, "the proxy did not listen again");
                    Thread.sleep(20);
                }
                try (Socket caller = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    caller.getOutputStream().write(42);
                    int read = -1;
                    while (read < 0) { // skip the proxy's own probes (connected and closed)
                        try (Socket accepted = node.accept()) {
                            read = accepted.getInputStream().read();
                        }
                    }
                    assertEquals(42, read);
                }
            }
        }
    }
}
