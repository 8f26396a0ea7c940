package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.broker.Broker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ALS finds on its queues, browsed (not consumed) on the gateway's real broker. */
final class AlsQueues {
    private AlsQueues() {}

    /** Messages on an ALS queue about the event {@code messageId}. */
    @SuppressWarnings("unchecked")
    static List<JsonNode> about(GatewayHarness h, String queue, String messageId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Connection c = h.gateway.broker().connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser b = s.createBrowser(s.createQueue(queue));
            for (Message m : Collections.list((java.util.Enumeration<Message>) b.getEnumeration())) {
                byte[] body;
                if (m instanceof BytesMessage bm) {
                    body = new byte[(int) bm.getBodyLength()];
                    bm.readBytes(body);
                } else {
                    body = ((TextMessage) m).getText().getBytes(StandardCharsets.UTF_8);
                }
                JsonNode n = JSON.readTree(body);
                String id = queue.equals(Broker.ALS_SCORE_NOTICES) ? n.path("eventMessageId").asText()
                        : m.getStringProperty("gatewayMessageId");
                if (messageId.equals(id)) out.add(n);
            }
        }
        return out;
    }

    /** The event was neither stored (for any landlord) nor forwarded to ALS. */
    static void nothingStoredOrForwarded(GatewayHarness h, String messageId) throws Exception {
        for (var p : h.gateway.partners().all()) {
            assertTrue(h.gateway.allocationEvents().find(p.id(), messageId).isEmpty(), "nothing stored");
        }
        assertTrue(about(h, Broker.ALS_ALLOCATION_EVENTS, messageId).isEmpty(), "nothing forwarded");
        assertTrue(about(h, Broker.ALS_SCORE_NOTICES, messageId).isEmpty(), "no score notice");
    }
}
