package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.demo.SyntheticDesignations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A landlord down for a while, then back; a poison message on the delivery queue. Nothing lost, nothing twice. */
class QueueFaultsTest {
    @TempDir
    Path data;

    static final SyntheticDesignations GEN = new SyntheticDesignations(23);

    @Test
    void aLandlordDownForAWhileGetsEverythingOnceInOrderPerOffer() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data, Map.of("gateway.delivery.max-attempts", "30"))) {
            h.restLandlord.setAvailable(false);
            Map<String, List<String>> sent = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int offer = 0; offer < 3; offer++) {
                    String rpls = "940000020" + offer;
                    String id = "DOWN-" + offer + "-" + round;
                    JsonNode d = GEN.designation(id, REST_LANDLORD, rpls, "94028", Instant.now().plus(Duration.ofDays(2)), 1);
                    ids.add(h.submit(d, 202).path("messageId").asText());
                    sent.computeIfAbsent(rpls, k -> new ArrayList<>()).add(id);
                }
            }
            GatewayHarness.await("the landlord refused for a while", Duration.ofSeconds(20),
                    () -> h.restLandlord.requestCount() >= 8);
            h.restLandlord.setAvailable(true);
            GatewayHarness.await("everything delivered", Duration.ofSeconds(40),
                    () -> h.restLandlord.received().size() == ids.size());
            Map<String, List<String>> got = new LinkedHashMap<>();
            for (var r : h.restLandlord.received()) {
                got.computeIfAbsent(r.designation().at("/offer/rplsId").asText(), k -> new ArrayList<>())
                        .add(r.designation().path("designationId").asText());
            }
            assertEquals(sent, got, "in order per offer");
            assertEquals(0, h.restLandlord.repeats(), "nothing twice");
            // The landlord has answered; its receipt is recorded just after: wait for that, not for luck.
            GatewayHarness.await("every receipt recorded", Duration.ofSeconds(10), () -> ids.stream()
                    .allMatch(id -> "DELIVERED".equals(statusOf(h, id))));
        }
    }

    private static String statusOf(GatewayHarness h, String id) {
        try {
            return h.status(id).path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPoisonMessageDoesNotBlockTheQueueBehindIt() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data, Map.of("gateway.delivery.max-attempts", "5",
                "gateway.delivery.redelivery-delay-ms", "500", "gateway.delivery.consumers", "1"))) {
            // A message no delivery can ever process: unknown to the journal, its body not even JSON.
            try (jakarta.jms.Connection c = h.gateway.broker().connectionFactory().createConnection()) {
                jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.BytesMessage poison = s.createBytesMessage();
                poison.writeBytes("\u0000not a designation".getBytes(StandardCharsets.UTF_8));
                poison.setStringProperty("gatewayMessageId", "dsg-poison");
                poison.setStringProperty("JMSXGroupID", "9400000300");
                s.createProducer(s.createQueue(Broker.DESIGNATION_OUTBOUND)).send(poison);
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                JsonNode d = GEN.designation("AFTER-" + i, REST_LANDLORD, "940000030" + (i % 2), "94028",
                        Instant.now().plus(Duration.ofDays(2)), 1);
                ids.add(h.submit(d, 202).path("messageId").asText());
            }
            GatewayHarness.await("the designations behind it delivered", Duration.ofSeconds(30),
                    () -> h.restLandlord.received().size() == ids.size());
            GatewayHarness.await("the poison message dead-lettered", Duration.ofSeconds(30),
                    () -> h.gateway.broker().depth(Broker.DESIGNATION_DEAD_LETTERS).orElse(0) == 1);
            assertEquals(0L, h.gateway.broker().depth(Broker.DESIGNATION_OUTBOUND).orElseThrow());
            assertEquals(0, h.restLandlord.repeats());
        }
    }
}
