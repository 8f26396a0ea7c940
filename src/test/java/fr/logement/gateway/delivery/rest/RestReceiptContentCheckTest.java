package fr.logement.gateway.delivery.rest;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.journal.Digests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLParameters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receipt correctly signed by the registered landlord is still refused when it is unsigned, acknowledges another
 * message, or digests another body than the one sent: a landlord that misread the message has not received it.
 */
class RestReceiptContentCheckTest {
    @TempDir
    Path dir;

    @Test
    void receiptForAnotherBodyIsRefused() throws Exception {
        refusedWith("digest differs", (messageId, digest) -> receipt(messageId, "sha256:" + "0".repeat(64)), true);
    }

    @Test
    void receiptForAnotherMessageIsRefused() throws Exception {
        refusedWith("another message", (messageId, digest) -> receipt("msg-other", digest), true);
    }

    @Test
    void unsignedReceiptIsRefused() throws Exception {
        refusedWith("not signed", (messageId, digest) -> receipt(messageId, digest), false);
    }

    private static Map<String, Object> receipt(String messageId, String digest) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", messageId);
        r.put("receiptId", "R-1");
        r.put("receivedAt", Instant.now().toString());
        r.put("bodyDigest", digest);
        return r;
    }

    /** Runs a landlord that answers 200 with the receipt {@code answer} builds from (messageId, body digest). */
    private void refusedWith(String expected, BiFunction<String, String, Map<String, Object>> answer, boolean sign)
            throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            server.setHttpsConfigurator(new HttpsConfigurator(f.pki.tlsContext(f.landlordKey)) {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters p) {
                    SSLParameters sp = getSSLContext().getDefaultSSLParameters();
                    sp.setNeedClientAuth(true);
                    p.setSSLParameters(sp);
                }
            });
            server.createContext("/", ex -> {
                try (ex) {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    String messageId = ex.getRequestHeaders().getFirst("X-Message-Id");
                    byte[] receipt = Json.bytes(answer.apply(messageId, Digests.sha256(body)));
                    if (sign) {
                        ex.getResponseHeaders().set(DetachedJws.HTTP_HEADER, new DetachedJws(f.landlordKey).sign(receipt, null));
                    }
                    ex.sendResponseHeaders(200, receipt.length);
                    ex.getResponseBody().write(receipt);
                }
            });
            server.start();
            try {
                URI endpoint = URI.create("https://localhost:" + server.getAddress().getPort() + "/designations");
                DeliveryException e = assertThrows(DeliveryException.class,
                        () -> f.sender().send(f.landlord(endpoint), "msg-010", f.designation(), f.store));
                assertTrue(e.getMessage().contains(expected), e.getMessage());
            } finally {
                server.stop(0);
            }
        }
    }
}
