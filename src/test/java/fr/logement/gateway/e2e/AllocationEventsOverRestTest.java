package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static fr.logement.gateway.e2e.GatewayHarness.SOAP_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Allocation events over signed REST, through the real gateway (Netty HTTPS with mTLS, H2, embedded Artemis): the
 * landlord's system signs with Nimbus directly; every acceptance rule broken once shows its error and that nothing
 * was stored or forwarded.
 */
class AllocationEventsOverRestTest {
    @TempDir
    static Path data;
    static GatewayHarness h;
    static AlsClient landlord;
    static final SyntheticDesignations GEN = new SyntheticDesignations(404);

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start(data);
        landlord = h.clientOf(REST_LANDLORD);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static JsonNode designation(String id, int candidates) {
        return GEN.designation(id, REST_LANDLORD, "9400000001", "94028", Instant.now().plus(Duration.ofDays(5)), candidates);
    }

    private static String nu(JsonNode designation, int candidate) {
        return designation.at("/candidates/" + candidate + "/identity/numeroUnique").asText();
    }

    private static ObjectNode event(String type, String designationId, String numeroUnique) {
        ObjectNode e = JSON.createObjectNode();
        e.put("messageId", "evt-" + UUID.randomUUID());
        e.put("type", type);
        if (designationId != null) e.put("designationId", designationId);
        if (numeroUnique != null) e.put("numeroUnique", numeroUnique);
        e.put("eventDate", "2026-11-20");
        return e;
    }

    private static ObjectNode decision(String designationId, String numeroUnique, String decision) {
        return event("caleol_decision", designationId, numeroUnique).put("decision", decision)
                .put("commissionReference", "CAL-2026-11-94-001");
    }

    private static byte[] bytes(JsonNode n) throws Exception {
        return JSON.writeValueAsBytes(n);
    }

    private static HttpResponse<String> post(AlsClient client, JsonNode event) throws Exception {
        return client.post("api/v1/allocation-events", bytes(event));
    }

    private static JsonNode expect(HttpResponse<String> r, int status, String error) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        if (error != null) assertEquals(error, body.path("error").asText(), r.body());
        return body;
    }

    private static List<JsonNode> onQueue(String queue, String messageId) throws Exception {
        return AlsQueues.about(h, queue, messageId);
    }

    private static void nothingStoredOrForwarded(JsonNode event) throws Exception {
        AlsQueues.nothingStoredOrForwarded(h, event.path("messageId").asText());
    }

    @Test
    void aDecisionThenALeaseAreAcceptedReceiptedAndForwardedToAls() throws Exception {
        JsonNode d = designation("EVT-REST-1", 2);
        String designationMessageId = h.delivered(d);

        ObjectNode decided = decision("EVT-REST-1", nu(d, 0), "allocated_rank_1");
        decided.put("comment", "dossier complet, NIR " + GEN.nir() + " vu en commission");
        byte[] body = bytes(decided);
        HttpResponse<String> r = landlord.post("api/v1/allocation-events", body);
        JsonNode receipt = expect(r, 200, null);
        assertEquals(decided.path("messageId").asText(), receipt.path("messageId").asText());
        assertEquals("accepted", receipt.path("status").asText());
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                receipt.path("bodyDigest").asText(), "the receipt carries the digest of what was received");
        // The receipt is signed by the gateway: checked with Nimbus and the gateway's certificate.
        String jws = r.headers().firstValue("X-JWS-Signature").orElseThrow();
        JWSObject parsed = JWSObject.parse(jws, new Payload(r.body().getBytes(StandardCharsets.UTF_8)));
        RSAPublicKey gatewayKey = (RSAPublicKey) h.gateway.pki().ensure(Pki.GATEWAY).certificate().getPublicKey();
        assertTrue(parsed.verify(new RSASSAVerifier(gatewayKey)), "receipt signature");

        List<JsonNode> forwarded = onQueue(Broker.ALS_ALLOCATION_EVENTS, decided.path("messageId").asText());
        assertEquals(1, forwarded.size());
        assertEquals("allocated_rank_1", forwarded.get(0).path("decision").asText());
        assertEquals(REST_LANDLORD, forwarded.get(0).path("landlordId").asText());
        assertTrue(forwarded.get(0).path("comment").asText().contains("[NIR]"), "NIR in free text redacted");
        for (String nir : GEN.nirsUsed()) assertFalse(forwarded.get(0).toString().contains(nir), "NIR leaked to ALS");

        expect(post(landlord, event("lease_signed", "EVT-REST-1", nu(d, 0))), 200, null);

        JsonNode status = h.status(designationMessageId);
        List<String> types = new ArrayList<>();
        status.path("events").forEach(e -> types.add(e.path("type").asText()));
        assertEquals(List.of("caleol_decision", "lease_signed"), types, status.toString());
    }

    @Test
    void theSameMessageAgainGetsTheSameReceiptAndHasNoSecondEffect() throws Exception {
        JsonNode d = designation("EVT-REST-2", 1);
        h.delivered(d);
        ObjectNode e = decision("EVT-REST-2", nu(d, 0), "not_allocated");
        byte[] body = bytes(e);
        JsonNode first = expect(landlord.post("api/v1/allocation-events", body), 200, null);
        JsonNode second = expect(landlord.post("api/v1/allocation-events", body), 200, null);
        assertEquals(first, second);
        assertEquals(1, onQueue(Broker.ALS_ALLOCATION_EVENTS, e.path("messageId").asText()).size());
    }

    @Test
    void anotherMessageUnderAUsedIdIsRefused() throws Exception {
        JsonNode d = designation("EVT-REST-3", 2);
        h.delivered(d);
        ObjectNode e = decision("EVT-REST-3", nu(d, 0), "not_allocated");
        expect(post(landlord, e), 200, null);
        ObjectNode other = decision("EVT-REST-3", nu(d, 1), "ineligible").put("messageId", e.path("messageId").asText());
        expect(post(landlord, other), 409, "message_id_reused");
        List<JsonNode> forwarded = onQueue(Broker.ALS_ALLOCATION_EVENTS, e.path("messageId").asText());
        assertEquals(1, forwarded.size());
        assertEquals("not_allocated", forwarded.get(0).path("decision").asText(), "the first one stands");
    }

    @Test
    void noLeaseBeforeAnAllocation() throws Exception {
        JsonNode d = designation("EVT-REST-4", 1);
        h.delivered(d);
        ObjectNode lease = event("lease_signed", "EVT-REST-4", nu(d, 0));
        JsonNode err = expect(post(landlord, lease), 409, "no_allocation");
        assertEquals("numeroUnique", err.at("/problems/0/path").asText());
        nothingStoredOrForwarded(lease);
    }

    @Test
    void aRankCannotBeDecidedTwiceNorACandidateDecidedDifferently() throws Exception {
        JsonNode d = designation("EVT-REST-5", 2);
        h.delivered(d);
        expect(post(landlord, decision("EVT-REST-5", nu(d, 0), "allocated_rank_1")), 200, null);
        ObjectNode sameRank = decision("EVT-REST-5", nu(d, 1), "allocated_rank_1");
        expect(post(landlord, sameRank), 409, "decision_conflict");
        nothingStoredOrForwarded(sameRank);
        ObjectNode changed = decision("EVT-REST-5", nu(d, 0), "ineligible");
        expect(post(landlord, changed), 409, "decision_conflict");
        nothingStoredOrForwarded(changed);
    }

    @Test
    void anEventOnAnUnknownDesignationOrCandidateIsRefused() throws Exception {
        ObjectNode unknown = decision("NO-SUCH-DESIGNATION", "94123456789", "not_allocated");
        expect(post(landlord, unknown), 409, "unknown_designation");
        nothingStoredOrForwarded(unknown);

        JsonNode d = designation("EVT-REST-6", 1);
        h.delivered(d);
        ObjectNode stranger = decision("EVT-REST-6", "94999999999", "not_allocated");
        expect(post(landlord, stranger), 409, "unknown_candidate");
        nothingStoredOrForwarded(stranger);
    }

    @Test
    void aLandlordCannotReportOnAnotherLandlordsDesignationEvenWhenValidlySigned() throws Exception {
        JsonNode d = designation("EVT-REST-7", 1);
        h.delivered(d);
        ObjectNode e = decision("EVT-REST-7", nu(d, 0), "allocated_rank_1");
        expect(post(h.clientOf(SOAP_LANDLORD), e), 403, "not_your_designation");
        nothingStoredOrForwarded(e);
    }

    @Test
    void allocationsOutsideDesignationOnlyOnOwnHomes() throws Exception {
        ObjectNode own = event("allocation_outside_designation", null, "94202611000123");
        own.put("rplsId", "9400000777").put("communeInsee", "94028");
        expect(post(landlord, own), 200, null);
        assertEquals(1, onQueue(Broker.ALS_ALLOCATION_EVENTS, own.path("messageId").asText()).size());

        ObjectNode elsewhere = event("allocation_outside_designation", null, "69202611000123");
        elsewhere.put("rplsId", "6900000777").put("communeInsee", "69123");
        expect(post(landlord, elsewhere), 403, "not_your_home");
        nothingStoredOrForwarded(elsewhere);
    }

    @Test
    void anEventOverItsSizeLimitIs413AndLeavesNothing() throws Exception {
        ObjectNode e = event("withdrawal", "EVT-REST-X", "94123456789");
        e.put("comment", "x".repeat(70_000));   // over gateway.event.max-body-bytes (64 kB), under the port's limit
        expect(post(landlord, e), 413, "too_large");
        nothingStoredOrForwarded(e);
    }

    @Test
    void aSchemaViolationNamesTheField() throws Exception {
        ObjectNode e = event("caleol_decision", "EVT-REST-X", "94123456789").put("decision", "maybe")
                .put("commissionReference", "CAL-1");
        JsonNode err = expect(post(landlord, e), 400, "invalid_event");
        assertTrue(err.toString().contains("\"path\":\"decision\""), err.toString());
        nothingStoredOrForwarded(e);

        ObjectNode noDate = event("withdrawal", "EVT-REST-X", "94123456789");
        noDate.remove("eventDate");
        expect(post(landlord, noDate), 400, "invalid_event");
    }

    @Test
    void aBodyAlteredAfterSigningOrSignedByAnotherLandlordIsRefused() throws Exception {
        ObjectNode e = event("withdrawal", "EVT-REST-X", "94123456789");
        byte[] signedBody = bytes(e);
        String signature = landlord.sign(signedBody, Instant.now());
        byte[] altered = bytes(e.put("type", "lease_signed"));
        expect(landlord.post("api/v1/allocation-events", altered, signature), 401, "bad_signature");
        // TLS as the REST landlord, JWS by the SOAP landlord's (registered, valid) key: not the same partner.
        AlsClient mixed = h.clientOf(REST_LANDLORD);
        String otherSignature = h.clientOf(SOAP_LANDLORD).sign(signedBody, Instant.now());
        expect(mixed.post("api/v1/allocation-events", signedBody, otherSignature), 401, "bad_signature");
        nothingStoredOrForwarded(e);
    }

    @Test
    void unsignedOrFromANonLandlordIsRefused() throws Exception {
        ObjectNode e = event("withdrawal", "EVT-REST-X", "94123456789");
        expect(landlord.post("api/v1/allocation-events", bytes(e), null), 401, "bad_signature");
        expect(h.als.post("api/v1/allocation-events", bytes(e)), 403, "not_authorised");
        nothingStoredOrForwarded(e);
    }

    @Test
    void scoreNoticesFollowTheEvents() throws Exception {
        JsonNode d = designation("EVT-REST-8", 3);
        h.delivered(d);
        ObjectNode notRetained = event("not_retained_complete_file", "EVT-REST-8", nu(d, 0));
        expect(post(landlord, notRetained), 200, null);
        List<JsonNode> n1 = onQueue(Broker.ALS_SCORE_NOTICES, notRetained.path("messageId").asText());
        assertEquals(1, n1.size());
        assertEquals(40, n1.get(0).path("points").asInt());

        // The +5s are capped at 100 per applicant: this one already has 98.
        try (var c = h.gateway.database().dataSource().getConnection(); var st = c.prepareStatement(
                "insert into score_notice (numero_unique, landlord_id, event_message_id, reason, points, created_at) "
                        + "values (?, 'x', ?, 'file_not_transmitted', ?, current_timestamp)")) {
            for (int i = 0; i < 2; i++) {
                st.setString(1, nu(d, 2));
                st.setString(2, "old-" + i);
                st.setInt(3, i == 0 ? 95 : 3);
                st.executeUpdate();
            }
        }
        ObjectNode takenBack = event("offer_taken_back", "EVT-REST-8", null);
        expect(post(landlord, takenBack), 200, null);
        List<JsonNode> n2 = onQueue(Broker.ALS_SCORE_NOTICES, takenBack.path("messageId").asText());
        assertEquals(3, n2.size(), "one notice per candidate of the offer");
        for (JsonNode n : n2) {
            int expected = n.path("numeroUnique").asText().equals(nu(d, 2)) ? 2 : 5;
            assertEquals(expected, n.path("points").asInt(), n.toString());
        }
        // Nothing after a taking back.
        ObjectNode late = decision("EVT-REST-8", nu(d, 1), "allocated_rank_1");
        expect(post(landlord, late), 409, "offer_taken_back");
        nothingStoredOrForwarded(late);
    }
}
