package io.millrace.server.network;

import java.net.InetSocketAddress;

/** Who is on the other end of one connection; its {@code toString} is written for log lines. */
record ConnectionInfo(long id, String listenerName, InetSocketAddress peer) {

    @Override
    public String toString() {
        return "connection " + id + " from " + peer + " on listener " + listenerName;
    }
}
