package fr.logement.gateway.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for test servers. Asking the OS for port 0 and binding later races with outgoing
 * connections, which take their local port from the same ephemeral range (32768+ on Linux): a client
 * socket of an earlier test may hold the port by the time the server binds. These ports come from below
 * that range, each handed out once per test JVM, and are checked free on every interface.
 */
public final class TestPorts {
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final AtomicInteger NEXT =
            new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt((LAST - FIRST) / 2));

    private TestPorts() {}

    public static int free() throws IOException {
        for (int tries = 0; tries < LAST - FIRST; tries++) {
            int port = NEXT.getAndIncrement();
            if (port > LAST) { NEXT.set(FIRST); port = NEXT.getAndIncrement(); }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // in use by something else on this machine: try the next one
            }
        }
        throw new IOException("no free port between " + FIRST + " and " + LAST);
    }
}
