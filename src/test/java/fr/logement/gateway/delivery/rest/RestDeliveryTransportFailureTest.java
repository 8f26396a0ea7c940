package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.delivery.DeliveryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A refused connection, a server that never answers, or a plain-http endpoint end in DeliveryException. */
class RestDeliveryTransportFailureTest {
    @TempDir
    Path dir;

    @Test
    void refusedConnection() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            URI nobody = URI.create("https://localhost:" + RestFixture.freePort() + "/designations");
            DeliveryException e = assertThrows(DeliveryException.class,
                    () -> f.sender().send(f.landlord(nobody), "msg-007", f.designation(), f.store));
            assertTrue(e.getMessage().equals("landlord seqens: connection refused"), e.getMessage());
        }
    }

    @Test
    void silentServerTimesOut() throws Exception {
        try (RestFixture f = new RestFixture(dir);
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accepts, never speaks TLS
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI endpoint = URI.create("https://localhost:" + silent.getLocalPort() + "/designations");
            long start = System.nanoTime();

            DeliveryException e = assertThrows(DeliveryException.class, () -> f.sender(Duration.ofSeconds(1),
                    Duration.ofSeconds(1)).send(f.landlord(endpoint), "msg-008", f.designation(), f.store));

            assertTrue(Duration.ofNanos(System.nanoTime() - start).getSeconds() < 5, "bounded by the timeouts");
            assertTrue(e.getMessage().matches("landlord seqens: (no complete answer within 1 s|no answer within the request "
                    + "timeout|connection timed out)"), e.getMessage());
            for (Socket s : held) s.close();
        }
    }

    @Test
    void plainHttpEndpointIsRefusedBeforeSending() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            DeliveryException e = assertThrows(DeliveryException.class, () -> f.sender().send(
                    f.landlord(URI.create("http://localhost:1/designations")), "msg-009", f.designation(), f.store));
            assertTrue(e.getMessage().contains("https"), e.getMessage());
        }
    }
}
