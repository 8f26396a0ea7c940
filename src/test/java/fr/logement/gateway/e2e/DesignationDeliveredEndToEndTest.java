package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.journal.JournalEntry;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The happy paths, through real Netty HTTPS, embedded Artemis, H2 and the simulated landlords. */
class DesignationDeliveredEndToEndTest {
    @TempDir
    static Path data;
    static GatewayHarness h;
    static final SyntheticDesignations GEN = new SyntheticDesignations(42);

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start(data);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static Instant deadline() {
        return Instant.now().plus(Duration.ofDays(5));
    }

    @Test
    void aDesignationReachesTheRestLandlordFilteredSignedAndReceipted() throws Exception {
        JsonNode d = GEN.designation("E2E-REST-1", GatewayHarness.REST_LANDLORD, "9400000001", "94028", deadline(), 2);
        JsonNode accepted = h.submit(d, 202);
        String messageId = accepted.path("messageId").asText();
        JsonNode status = h.awaitState(messageId, "DELIVERED", Duration.ofSeconds(20));
        assertFalse(status.path("receiptId").asText().isEmpty(), "the signed receipt is recorded");

        List<RestLandlordSimulator.ReceivedDesignation> got = h.restLandlord.received().stream()
                .filter(r -> r.messageId().equals(messageId)).toList();
        assertEquals(1, got.size());
        JsonNode received = got.get(0).designation();
        String raw = new String(got.get(0).rawBody(), StandardCharsets.UTF_8);
        // What the landlord may have: identity, rank, handicap needs, documents.
        assertEquals("E2E-REST-1", received.path("designationId").asText());
        assertEquals(d.at("/candidates/0/identity/lastName").asText(), received.at("/candidates/0/identity/lastName").asText());
        assertEquals(1, received.at("/candidates/0/rank").asInt());
        assertTrue(received.at("/candidates/0/handicap/need/adaptedHousing").asBoolean());
        // What it may never have: NIR, handicap nature, score points, application history.
        for (String nir : GEN.nirsUsed()) assertFalse(raw.replace(" ", "").contains(nir), "NIR leaked");
        assertFalse(raw.contains(SyntheticDesignations.HANDICAP_MARKER), "handicap nature leaked");
        assertTrue(received.at("/candidates/0/identity/nir").isMissingNode());
        assertTrue(received.at("/candidates/0/score/points").isMissingNode());
        assertTrue(received.at("/candidates/0/applicationHistory").isMissingNode());
        // The NIR hidden in the free-text motive is redacted.
        assertTrue(received.at("/candidates/0/motive/comment").asText().contains("[NIR]"));
        // Documents arrive intact.
        byte[] sent = Base64.getDecoder().decode(d.at("/candidates/0/documents/0/content").asText());
        assertArrayEquals(sent, got.get(0).documents().get(d.at("/candidates/0/documents/0/documentId").asText()));

        // The journal knows who got which categories, and what was dropped.
        List<JournalEntry> journal = h.gateway.journal().entriesOf(messageId);
        JournalEntry in = journal.get(0);
        assertEquals(JournalEntry.Direction.IN, in.direction());
        assertTrue(in.categoriesDropped().contains("nir"), in.categoriesDropped().toString());
        JournalEntry out = journal.stream().filter(e -> e.status().equals("DELIVERED")).findFirst().orElseThrow();
        assertEquals(GatewayHarness.REST_LANDLORD, out.partnerId());
        assertTrue(out.categoriesSent().contains("identity"));
        assertFalse(out.categoriesSent().contains("nir"));
        assertFalse(out.categoriesSent().contains("handicap_nature"));
    }

    @Test
    void aDesignationReachesTheSoapLandlordWithMtomDocuments() throws Exception {
        JsonNode d = GEN.designation("E2E-SOAP-1", GatewayHarness.SOAP_LANDLORD, "9200000001", "92050", deadline(), 3);
        String messageId = h.submit(d, 202).path("messageId").asText();
        h.awaitState(messageId, "DELIVERED", Duration.ofSeconds(20));
        var got = h.soapLandlord.received().stream().filter(r -> r.messageId().equals(messageId)).toList();
        assertEquals(1, got.size());
        String raw = new String(got.get(0).rawEnvelope(), StandardCharsets.UTF_8);
        for (String nir : GEN.nirsUsed()) assertFalse(raw.replace(" ", "").contains(nir), "NIR leaked");
        assertFalse(raw.contains(SyntheticDesignations.HANDICAP_MARKER), "handicap nature leaked");
        assertEquals(6, got.get(0).attachments().size(), "two documents per candidate, as MTOM attachments");
    }

    @Test
    void aDesignationWithTwoMegabytesOfDocumentsIsTakenAndDeliveredIntact() throws Exception {
        ObjectNode d = GEN.designation("E2E-BIG-1", GatewayHarness.REST_LANDLORD, "9400000009", "94028", deadline(), 3);
        byte[] scan = java.util.Arrays.copyOf(SyntheticDesignations.pdf("scan"), 700_000);
        new java.util.Random(1).ints(200, scan.length).limit(100_000).forEach(i -> scan[i] = (byte) i);
        ((com.fasterxml.jackson.databind.node.ArrayNode) d.withArray("candidates").get(0).path("documents"))
                .add(SyntheticDesignations.document("big", "identity", "application/pdf", "scan.pdf", scan));
        for (int c = 1; c < 3; c++) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) d.withArray("candidates").get(c).path("documents"))
                    .add(SyntheticDesignations.document("big" + c, "identity", "application/pdf", "scan.pdf", scan));
        }
        assertTrue(GatewayHarness.JSON.writeValueAsBytes(d).length > 2_000_000);
        String messageId = h.submit(d, 202).path("messageId").asText();
        h.awaitState(messageId, "DELIVERED", Duration.ofSeconds(30));
        var got = h.restLandlord.received().stream().filter(r -> r.messageId().equals(messageId)).findFirst().orElseThrow();
        assertArrayEquals(scan, got.documents().get("big"), "the 700 kB scan arrives intact");
    }

    @Test
    void theSameDesignationSentTwiceIsQueuedOnce() throws Exception {
        JsonNode d = GEN.designation("E2E-DUP-1", GatewayHarness.REST_LANDLORD, "9400000009", "94028", deadline(), 1);
        String first = h.submit(d, 202).path("messageId").asText();
        String second = h.submit(d, 202).path("messageId").asText();
        assertEquals(first, second);
        h.awaitState(first, "DELIVERED", Duration.ofSeconds(20));
        long copies = h.restLandlord.received().stream().filter(r -> r.messageId().equals(first)).count();
        assertEquals(1, copies);
    }

    @Test
    void healthMetricsAndContractsAreServed() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + h.settings.get("gateway.management.port") + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + h.settings.get("gateway.management.port") + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("gateway_queue_depth"), "queue depth gauge");
        var wsdl = h.als.get("contracts/landlord-designation.wsdl");
        assertEquals(200, wsdl.statusCode());
        var schema = h.als.get("contracts/designation.schema.json");
        assertEquals(200, schema.statusCode());
        assertTrue(schema.body().contains("\"$schema\""));
        assertEquals(404, h.als.get("contracts/..%2Fconfig%2Fpartners.yaml").statusCode());
    }
}
