package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.demo.SyntheticDesignations;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Landlord outages, the last attempt, deadlines passing and a gateway restart: nothing lost, nothing twice. */
class DeliveryFaultsEndToEndTest {
    @TempDir
    Path data;
    static final SyntheticDesignations GEN = new SyntheticDesignations(11);

    private static JsonNode designation(String id, Instant deadline) {
        return GEN.designation(id, GatewayHarness.REST_LANDLORD, "9400000001", "94028", deadline, 1);
    }

    @Test
    void aLandlordOutageIsRetriedWithBackoffThenDelivered() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            h.restLandlord.setAvailable(false);
            String id = h.submit(designation("F-1", Instant.now().plus(Duration.ofDays(1))), 202).path("messageId").asText();
            GatewayHarness.await("two failed attempts", Duration.ofSeconds(15), () -> h.restLandlord.requestCount() >= 2);
            h.restLandlord.setAvailable(true);
            JsonNode s = h.awaitState(id, "DELIVERED", Duration.ofSeconds(20));
            assertTrue(s.path("attempts").asInt() >= 3, s.toString());
            assertEquals(1, h.restLandlord.received().size());
            assertTrue(s.toString().contains("ATTEMPT_FAILED"), "failed attempts are in the history");
        }
    }

    @Test
    void afterTheLastAttemptTheDesignationIsDeadLetteredAndAlsIsTold() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data, Map.of("gateway.delivery.max-attempts", "3"))) {
            h.restLandlord.setAvailable(false);
            String id = h.submit(designation("F-2", Instant.now().plus(Duration.ofDays(1))), 202).path("messageId").asText();
            JsonNode s = h.awaitState(id, "DEAD_LETTERED", Duration.ofSeconds(20));
            assertEquals(3, s.path("attempts").asInt());
            GatewayHarness.await("the message in the dead-letter queue", Duration.ofSeconds(10),
                    () -> h.gateway.broker().depth(Broker.DESIGNATION_DEAD_LETTERS).orElse(0) == 1);
            assertEquals(0L, h.gateway.broker().depth(Broker.DESIGNATION_OUTBOUND).orElseThrow());
            assertTrue(noticeFor(h, id).contains("DEAD_LETTERED"));
            assertEquals(0, h.restLandlord.received().size());
        }
    }

    @Test
    void aDesignationWhoseDeadlinePassesWhileWaitingIsParkedNotDeliveredLate() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data, Map.of("gateway.delivery.max-attempts", "50"))) {
            h.restLandlord.setAvailable(false);
            String id = h.submit(designation("F-3", Instant.now().plusSeconds(3)), 202).path("messageId").asText();
            JsonNode s = h.awaitState(id, "EXPIRED", Duration.ofSeconds(20));
            assertEquals("expired", s.path("reason").asText());
            h.restLandlord.setAvailable(true);
            Thread.sleep(1500);
            assertEquals(0, h.restLandlord.received().size(), "never delivered late");
            assertEquals(1L, h.gateway.broker().depth(Broker.DESIGNATION_EXPIRED).orElseThrow());
            assertTrue(noticeFor(h, id).contains("EXPIRED"));
        }
    }

    @Test
    void aRestartDuringDeliveryLosesNothingAndDeliversOnce() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data, Map.of("gateway.delivery.max-attempts", "50"))) {
            h.restLandlord.setAvailable(false);
            String id = h.submit(designation("F-4", Instant.now().plus(Duration.ofDays(1))), 202).path("messageId").asText();
            GatewayHarness.await("a failed attempt", Duration.ofSeconds(10), () -> h.restLandlord.requestCount() >= 1);
            h.restartGateway();
            h.restLandlord.setAvailable(true);
            h.awaitState(id, "DELIVERED", Duration.ofSeconds(30));
            Thread.sleep(1000);
            assertEquals(1, h.restLandlord.received().size());
            assertEquals(0L, h.gateway.broker().depth(Broker.DESIGNATION_OUTBOUND).orElseThrow());
            long deliveredRows = h.gateway.journal().entriesOf(id).stream()
                    .filter(e -> e.status().equals("DELIVERED")).count();
            assertEquals(1, deliveredRows, "delivered once");
        }
    }

    private static String noticeFor(GatewayHarness h, String messageId) throws Exception {
        try (Connection c = h.gateway.broker().connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var consumer = s.createConsumer(s.createQueue(Broker.ALS_NOTIFICATIONS));
            for (Message m = consumer.receive(5000); m != null; m = consumer.receive(1000)) {
                String body = new String(m.getBody(byte[].class), java.nio.charset.StandardCharsets.UTF_8);
                if (body.contains(messageId)) return body;
            }
        }
        assertNotNull(null, "no notice for ALS");
        return "";
    }
}
