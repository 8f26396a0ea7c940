package fr.logement.gateway.delivery.soap;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.delivery.DeliveryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A landlord endpoint (real HTTPS with mTLS on loopback) that answers with hostile XML: a DTD with an
 * external entity pointing at a local secret file, an entity expansion bomb, an unsigned receipt. The
 * gateway must refuse every one of them as a receipt, so the designation is not recorded as delivered,
 * and the secret never appears in what the gateway reports.
 */
class HostileSoapLandlordAnswersAreRefusedTest {
    @TempDir
    Path dir;

    private static final String SECRET = "TOP-SECRET-9f1c";

    @Test
    void anAnswerWithAnExternalEntityIsRefused() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, SECRET);
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<r:designationReceipt xmlns:r=\"urn:fr:logement:gateway:designation:v1\"><r:receiptId>&x;</r:receiptId>"
                + "</r:designationReceipt></soap:Body></soap:Envelope>";
        DeliveryException e = deliverAgainst(xxe);
        assertTrue(e.getMessage().contains("DTD"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "the external entity was never resolved");
    }

    @Test
    void anAnswerWithAnEntityExpansionBombIsRefused() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE e [<!ENTITY a0 \"lol\">");
        for (int i = 1; i < 12; i++) {
            dtd.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String bomb = "<?xml version=\"1.0\"?>" + dtd
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<r:designationReceipt xmlns:r=\"urn:fr:logement:gateway:designation:v1\"><r:receiptId>&a11;</r:receiptId>"
                + "</r:designationReceipt></soap:Body></soap:Envelope>";
        String m = deliverAgainst(bomb).getMessage();
        assertTrue(m.contains("DTD"), m);
    }

    @Test
    void anUnsignedReceiptIsRefused() throws Exception {
        String unsigned = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<r:designationReceipt xmlns:r=\"urn:fr:logement:gateway:designation:v1\">"
                + "<r:receiptId>RCPT-1</r:receiptId><r:messageId>msg-h</r:messageId>"
                + "<r:bodyDigest>sha256:00</r:bodyDigest><r:receivedAt>2026-11-23T00:00:00Z</r:receivedAt>"
                + "</r:designationReceipt></soap:Body></soap:Envelope>";
        String m = deliverAgainst(unsigned).getMessage();
        assertTrue(m.contains("signature") || m.contains("not signed"), m);
    }

    /** Starts a hostile landlord answering {@code answer}, sends one designation, expects a refusal. */
    private DeliveryException deliverAgainst(String answer) throws Exception {
        try (SoapDeliveryHarness h = new SoapDeliveryHarness(dir, null)) {
            AtomicInteger requests = new AtomicInteger();
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(h.pki.tlsContext(h.landlordKey)) {
                @Override
                public void configure(HttpsParameters params) {
                    params.setNeedClientAuth(true);
                }
            });
            server.createContext("/landlord/designations", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                requests.incrementAndGet();
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            try {
                Partner hostile = new Partner("landlord", Partner.PartnerKind.landlord, "Landlord", "552100554", null,
                        List.of("92"), Partner.Protocol.soap,
                        java.net.URI.create("https://localhost:" + server.getAddress().getPort() + "/landlord/designations"),
                        "partners/landlord.pem");
                DeliveryException e = assertThrows(DeliveryException.class,
                        () -> h.sender.send(hostile, "msg-h", h.designation("HOSTILE"), h.store));
                assertEquals(1, requests.get(), "the request did reach the hostile landlord");
                return e;
            } finally {
                server.stop(0);
            }
        }
    }
}
