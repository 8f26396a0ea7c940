package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a designation is refused — unsigned, wrongly signed, replayed, by an unknown or unauthorised partner,
 * invalid, malformed, oversized — gets its status and clear error, and leaves nothing behind but an audit row:
 * no journal entry, no queued message, no stored document, nothing delivered.
 */
class RefusedDesignationsLeaveNothingBehindTest {
    @TempDir
    static Path data;
    static GatewayHarness h;
    static final SyntheticDesignations GEN = new SyntheticDesignations(7);
    long auditBefore;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start(data, java.util.Map.of("gateway.designation.max-body-bytes", "2000000"));
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @BeforeEach
    void countAudit() {
        auditBefore = h.gateway.audit().all().size();
    }

    @AfterEach
    void nothingStoredOrForwarded() throws Exception {
        assertEquals(0, h.gateway.journal().count(), "no journal entry");
        assertEquals(0L, h.gateway.broker().depth(Broker.DESIGNATION_OUTBOUND).orElseThrow(), "nothing queued");
        try (Stream<Path> docs = Files.walk(h.data.resolve("documents"))) {
            assertEquals(0, docs.filter(Files::isRegularFile).count(), "no document stored");
        }
        assertEquals(0, h.restLandlord.received().size(), "nothing delivered");
        assertEquals(0, h.soapLandlord.received().size(), "nothing delivered");
    }

    private JsonNode valid(String id) {
        return GEN.designation(id, GatewayHarness.REST_LANDLORD, "9400000001", "94028",
                Instant.now().plus(Duration.ofDays(3)), 2);
    }

    private static byte[] bytes(JsonNode n) throws Exception {
        return GatewayHarness.JSON.writeValueAsBytes(n);
    }

    private JsonNode expect(HttpResponse<String> r, int status, String error) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = GatewayHarness.JSON.readTree(r.body());
        assertEquals(error, body.path("error").asText(), r.body());
        assertTrue(h.gateway.audit().all().size() > auditBefore, "the refusal is audited");
        return body;
    }

    @Test
    void unsignedIs401() throws Exception {
        expect(h.als.post("api/v1/designations", bytes(valid("R-1")), null), 401, "bad_signature");
    }

    @Test
    void signedByAnotherKeyIs401() throws Exception {
        KeyMaterial other = h.gateway.pki().ensure(GatewayHarness.REST_LANDLORD);
        AlsClient impostor = new AlsClient(URI.create("https://localhost:" + h.settings.get("gateway.rest.port") + "/"),
                h.gateway.pki().ensure("als").privateKey(), h.gateway.pki().ensure("als").certificate(),
                other.privateKey(), other.certificate(), h.gateway.pki().caCertificate());
        expect(impostor.post("api/v1/designations", bytes(valid("R-2"))), 401, "bad_signature");
    }

    @Test
    void bodyAlteredAfterSigningIs401() throws Exception {
        byte[] body = bytes(valid("R-3"));
        String signature = h.als.sign(body, Instant.now());
        byte[] altered = new String(body, StandardCharsets.UTF_8).replace("R-3", "R-X").getBytes(StandardCharsets.UTF_8);
        expect(h.als.post("api/v1/designations", altered, signature), 401, "bad_signature");
    }

    @Test
    void aReplayedOldSignatureIs401() throws Exception {
        byte[] body = bytes(valid("R-4"));
        String old = h.als.sign(body, Instant.now().minus(Duration.ofMinutes(30)));
        JsonNode err = expect(h.als.post("api/v1/designations", body, old), 401, "bad_signature");
        assertTrue(err.toString().contains("not_fresh"), err.toString());
    }

    @Test
    void aCertificateNotRegisteredForAnyPartnerIs403() throws Exception {
        KeyMaterial stranger = h.gateway.pki().issue("stranger", "RSA", Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)));
        AlsClient c = new AlsClient(URI.create("https://localhost:" + h.settings.get("gateway.rest.port") + "/"),
                stranger.privateKey(), stranger.certificate(), stranger.privateKey(), stranger.certificate(),
                h.gateway.pki().caCertificate());
        expect(c.post("api/v1/designations", bytes(valid("R-5"))), 403, "unknown_partner");
    }

    @Test
    void aSelfSignedCertificateIsRefusedAtTheHandshake() throws Exception {
        KeyMaterial self = Pki.selfSigned("intruder");
        AlsClient c = new AlsClient(URI.create("https://localhost:" + h.settings.get("gateway.rest.port") + "/"),
                self.privateKey(), self.certificate(), self.privateKey(), self.certificate(),
                h.gateway.pki().caCertificate());
        assertThrows(java.io.IOException.class, () -> c.post("api/v1/designations", bytes(valid("R-6"))));
    }

    @Test
    void aLandlordMayNotSubmitDesignations() throws Exception {
        KeyMaterial landlord = h.gateway.pki().ensure(GatewayHarness.REST_LANDLORD);
        AlsClient c = new AlsClient(URI.create("https://localhost:" + h.settings.get("gateway.rest.port") + "/"),
                landlord.privateKey(), landlord.certificate(), landlord.privateKey(), landlord.certificate(),
                h.gateway.pki().caCertificate());
        expect(c.post("api/v1/designations", bytes(valid("R-7"))), 403, "not_authorised");
    }

    @Test
    void anInvalidDesignationIs400WithEveryProblem() throws Exception {
        ObjectNode d = (ObjectNode) valid("R-8");
        ((ObjectNode) d.get("candidates").get(1)).put("rank", 1);                 // ranks 1, 1
        ((ObjectNode) d.get("offer")).put("designationDeadline", "2020-01-01T00:00:00Z"); // passed
        JsonNode err = expect(h.als.post("api/v1/designations", bytes(d)), 400, "invalid_designation");
        assertTrue(err.path("problems").size() >= 2, err.toString());
        String text = err.toString();
        assertTrue(text.contains("rank"), text);
        assertTrue(text.contains("designationDeadline"), text);
        for (String nir : GEN.nirsUsed()) assertFalse(text.contains(nir), "no value is echoed");
    }

    @Test
    void aSchemaViolationNamesTheField() throws Exception {
        ObjectNode d = (ObjectNode) valid("R-9");
        ((ObjectNode) d.get("offer")).put("rooms", "three");
        JsonNode err = expect(h.als.post("api/v1/designations", bytes(d)), 400, "invalid_designation");
        assertTrue(err.toString().contains("rooms"), err.toString());
    }

    @Test
    void duplicateKeysAndTrailingContentAre400() throws Exception {
        byte[] dup = "{\"designationId\":\"A\",\"designationId\":\"B\"}".getBytes(StandardCharsets.UTF_8);
        expect(h.als.post("api/v1/designations", dup), 400, "malformed_json");
        byte[] trailing = (new String(bytes(valid("R-10")), StandardCharsets.UTF_8) + "{}").getBytes(StandardCharsets.UTF_8);
        expect(h.als.post("api/v1/designations", trailing), 400, "malformed_json");
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        ObjectNode d = (ObjectNode) valid("R-11");
        byte[] big = new byte[3_000_000];
        ((ObjectNode) d.at("/candidates/0/documents/0")).put("content", java.util.Base64.getEncoder().encodeToString(big));
        HttpResponse<String> r = h.als.post("api/v1/designations", bytes(d));
        assertEquals(413, r.statusCode());
    }

    @Test
    void camelHeadersSentByTheCallerAreIgnored() throws Exception {
        byte[] body = bytes(valid("R-12"));
        HttpResponse<String> r = h.als.post("api/v1/designations", body, null,
                "CamelHttpResponseCode", "202", "CamelBeanMethodName", "queued");
        expect(r, 401, "bad_signature");
    }
}
