package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With an ALS endpoint configured, accepted events are pushed to it signed (checked here with Nimbus and the
 * gateway's certificate), retried while ALS answers 503, and arrive once each.
 */
class AllocationEventsPushedToAlsTest {
    @TempDir
    Path data;

    @Test
    void eventsReachAlsEndpointSignedOnceEachAfterAnOutage() throws Exception {
        int port = GatewayHarness.freePort();
        try (GatewayHarness h = GatewayHarness.start(data,
                Map.of("gateway.als.endpoint", "https://localhost:" + port + "/als/allocation-events"))) {
            Pki pki = h.gateway.pki();
            RSAPublicKey gatewayKey = (RSAPublicKey) pki.ensure(Pki.GATEWAY).certificate().getPublicKey();
            List<String> received = new CopyOnWriteArrayList<>();
            AtomicInteger refusals = new AtomicInteger(2);
            HttpsServer als = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            als.setHttpsConfigurator(new HttpsConfigurator(pki.tlsContext(pki.ensure("als"))) {
                @Override
                public void configure(HttpsParameters params) {
                    params.setNeedClientAuth(true);
                }
            });
            als.createContext("/als/allocation-events", ex -> {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                int status;
                try {
                    JWSObject jws = JWSObject.parse(ex.getRequestHeaders().getFirst("X-JWS-Signature"), new Payload(body));
                    if (!jws.verify(new RSASSAVerifier(gatewayKey))) {
                        status = 401;
                    } else if (refusals.getAndDecrement() > 0) {
                        status = 503;                         // ALS is down for a while
                    } else {
                        received.add(JSON.readTree(body).path("messageId").asText());
                        status = 200;
                    }
                } catch (Exception e) {
                    status = 400;
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            als.start();
            try {
                AlsClient landlord = h.clientOf(REST_LANDLORD);
                ObjectNode e1 = outside("9400000101");
                ObjectNode e2 = outside("9400000102");
                assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(e1)).statusCode());
                assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(e2)).statusCode());
                // The same message again: answered, not pushed twice.
                assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(e1)).statusCode());

                GatewayHarness.await("both events at ALS", Duration.ofSeconds(30), () -> received.size() >= 2);
                Thread.sleep(1500);
                assertEquals(1, received.stream().filter(e1.path("messageId").asText()::equals).count(), received.toString());
                assertEquals(1, received.stream().filter(e2.path("messageId").asText()::equals).count(), received.toString());
                assertTrue(refusals.get() < 0, "ALS refused at first, the gateway retried");
                assertEquals(0L, h.gateway.broker().depth(Broker.ALS_ALLOCATION_EVENTS).orElse(-1));
                assertEquals(0L, h.gateway.broker().depth(Broker.ALS_ALLOCATION_EVENTS_DEAD_LETTERS).orElse(-1));
            } finally {
                als.stop(0);
            }
        }
    }

    private static ObjectNode outside(String rpls) {
        ObjectNode e = JSON.createObjectNode();
        e.put("messageId", "evt-" + UUID.randomUUID());
        e.put("type", "allocation_outside_designation");
        e.put("numeroUnique", "94202611" + rpls.substring(4));
        e.put("eventDate", "2026-11-20");
        e.put("rplsId", rpls);
        e.put("communeInsee", "94028");
        return e;
    }
}
