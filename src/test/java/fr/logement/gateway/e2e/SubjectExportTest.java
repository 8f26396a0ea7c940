package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export for one request holds every exchange about it and nothing about another request; it is audited. */
class SubjectExportTest {
    @TempDir
    Path data;

    @Test
    void theExportHoldsEveryExchangeOfTheRequestAndNothingOfAnother() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            SyntheticDesignations gen = new SyntheticDesignations(77);
            JsonNode d = gen.designation("SAR-1", REST_LANDLORD, "9400000001", "94028", Instant.now().plus(Duration.ofDays(5)), 2);
            String messageId = h.delivered(d);
            String a = d.at("/candidates/0/identity/numeroUnique").asText();
            String b = d.at("/candidates/1/identity/numeroUnique").asText();
            AlsClient landlord = h.clientOf(REST_LANDLORD);
            assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(
                    event("not_retained_complete_file", a))).statusCode());
            assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(
                    event("caleol_decision", b).put("decision", "allocated_rank_1").put("commissionReference", "CAL-1")))
                    .statusCode());

            JsonNode export = h.gateway.subjectExport().export(a, "dpo-test");
            String text = export.toString();
            assertEquals(a, export.path("requestNumber").asText());
            assertEquals(1, export.path("designations").size());
            JsonNode designation = export.at("/designations/0");
            assertEquals(messageId, designation.path("message_id").asText());
            assertTrue(designation.path("exchanges").size() >= 2, "received from ALS, delivered to the landlord");
            JsonNode delivered = null;
            for (JsonNode x : designation.path("exchanges")) if (x.path("status").asText().equals("DELIVERED")) delivered = x;
            assertTrue(delivered != null && delivered.path("categoriesSent").toString().contains("identity"), text);
            assertEquals(1, export.path("allocationEvents").size(), text);
            assertEquals("not_retained_complete_file", export.at("/allocationEvents/0/event_type").asText());
            assertEquals(40, export.at("/scoreNotices/0/points").asInt());
            assertFalse(text.contains(b), "nothing about the other candidate");
            assertTrue(h.gateway.audit().all().stream().anyMatch(e -> e.nature().equals("subject.exported")
                    && "dpo-test".equals(e.actorUser()) && a.equals(e.requestNumbers())), "the export is audited");
            // Every access to the request is in the audit trail with the numbers it concerned, and in the export.
            var received = h.gateway.audit().all().stream()
                    .filter(e -> e.nature().equals("designation.received") && messageId.equals(e.messageId())).findFirst();
            assertTrue(received.isPresent() && received.get().requestNumbers().contains(a)
                    && received.get().requestNumbers().contains(b), String.valueOf(received));
            String accesses = export.path("auditEntries").toString();
            for (String nature : new String[]{"designation.received", "designation.sent", "allocation_event.received"}) {
                assertTrue(accesses.contains("\"" + nature + "\""), nature + " in " + accesses);
            }

            // The same through the authenticated operator endpoint.
            var http = java.net.http.HttpClient.newHttpClient();
            String url = "http://127.0.0.1:" + h.settings.get("gateway.management.port") + "/operator/subjects/" + a;
            assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Authorization", "Bearer " + fr.logement.gateway.operator.OperatorToken.read(data))
                    .header("X-Operator", "dpo-http").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(a, JSON.readTree(r.body()).path("requestNumber").asText());
            assertFalse(r.body().contains(b));
        }
    }

    @Test
    void anErasureRemovesTheBodiesOfOneRequestAndSaysWhatItKept() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            SyntheticDesignations gen = new SyntheticDesignations(78);
            JsonNode d = gen.designation("SAR-1", REST_LANDLORD, "9400000001", "94028", Instant.now().plus(Duration.ofDays(5)), 2);
            h.delivered(d);
            String a = d.at("/candidates/0/identity/numeroUnique").asText();
            String b = d.at("/candidates/1/identity/numeroUnique").asText();
            AlsClient landlord = h.clientOf(REST_LANDLORD);
            ObjectNode ea = event("not_retained_complete_file", a);
            ObjectNode eb = event("not_retained_complete_file", b);
            assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(ea)).statusCode());
            assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(eb)).statusCode());
            Path outbox = data.resolve("outbox/registry/als/manual.jsonl");
            java.nio.file.Files.createDirectories(outbox.getParent());
            java.nio.file.Files.writeString(outbox, "{\"requestNumber\":\"" + a + "\"}\n{\"requestNumber\":\"" + b + "\"}\n");

            var outcome = h.gateway.erasure().erase(a, "dpo-test");
            assertEquals(1, outcome.erased().get("allocation event bodies"));
            assertEquals(1, outcome.erased().get("outbox records"));
            assertFalse(outcome.kept().isEmpty(), "it says what it kept and why");
            assertTrue(outcome.kept().stream().allMatch(k -> !k.get("why").isBlank()));
            assertEquals("{}", h.gateway.allocationEvents().find(REST_LANDLORD, ea.path("messageId").asText()).orElseThrow().forwarded());
            assertTrue(h.gateway.allocationEvents().find(REST_LANDLORD, eb.path("messageId").asText()).orElseThrow()
                    .forwarded().contains(b), "another request's body stays");
            String left = java.nio.file.Files.readString(outbox);
            assertFalse(left.contains(a));
            assertTrue(left.contains(b));
            assertTrue(h.gateway.audit().all().stream().anyMatch(e -> e.nature().equals("subject.erased")));
        }
    }

    private static ObjectNode event(String type, String nur) {
        ObjectNode e = JSON.createObjectNode();
        e.put("messageId", "evt-" + UUID.randomUUID());
        e.put("type", type);
        e.put("designationId", "SAR-1");
        e.put("numeroUnique", nur);
        e.put("eventDate", "2026-11-20");
        return e;
    }
}
