package fr.logement.gateway.e2e;

import fr.logement.gateway.landlordsim.LandlordSoapClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static fr.logement.gateway.e2e.GatewayHarness.SOAP_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registered certificate alone is not enough: it must be within its validity dates and not revoked by its
 * authority's current CRL (configured with the partners). Revocation, an out-of-date CRL, and expired or
 * not-yet-valid certificates each stop a landlord's events on both channels, and nothing is stored or forwarded.
 */
class PartnerCertificateStatusTest {
    @TempDir
    Path data;

    private static ObjectNode withdrawal() {
        ObjectNode e = JSON.createObjectNode();
        e.put("messageId", "evt-" + UUID.randomUUID());
        e.put("type", "allocation_outside_designation");
        e.put("numeroUnique", "94202611000999");
        e.put("eventDate", "2026-11-20");
        e.put("rplsId", "9400000999");
        e.put("communeInsee", "94028");
        return e;
    }

    private static Map<String, String> soapEvent() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("messageId", "evt-" + UUID.randomUUID());
        m.put("type", "allocation_outside_designation");
        m.put("numeroUnique", "92202611000999");
        m.put("eventDate", "2026-11-20");
        m.put("rplsId", "9200000999");
        m.put("communeInsee", "92050");
        return m;
    }

    private static HttpResponse<String> soap(GatewayHarness h, Map<String, String> event) throws Exception {
        KeyMaterial k = h.gateway.pki().ensure(SOAP_LANDLORD);
        LandlordSoapClient c = new LandlordSoapClient(URI.create("https://localhost:" + h.settings.get("gateway.soap.port")
                + "/soap/allocation-events"), k.privateKey(), k.certificate(), h.gateway.pki().caCertificate());
        return c.post(LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(event),
                LandlordSoapClient.Signing.by(k.privateKey(), k.certificate()))));
    }

    @Test
    void aRevokedCertificateIsRefusedOnBothChannelsUntilTheCrlIsFixed() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            AlsClient rest = h.clientOf(REST_LANDLORD);
            assertEquals(200, rest.post("api/v1/allocation-events", JSON.writeValueAsBytes(withdrawal())).statusCode());
            assertEquals(200, soap(h, soapEvent()).statusCode());

            Pki pki = h.gateway.pki();
            pki.revoke(pki.ensure(REST_LANDLORD).certificate());
            pki.revoke(pki.ensure(SOAP_LANDLORD).certificate());

            ObjectNode e = withdrawal();
            HttpResponse<String> r = rest.post("api/v1/allocation-events", JSON.writeValueAsBytes(e));
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("revoked"), r.body());
            AlsQueues.nothingStoredOrForwarded(h, e.path("messageId").asText());

            Map<String, String> s = soapEvent();
            HttpResponse<String> f = soap(h, s);
            assertEquals(500, f.statusCode());
            assertTrue(f.body().contains("revoked"), f.body());
            AlsQueues.nothingStoredOrForwarded(h, s.get("messageId"));
        }
    }

    @Test
    void anOutOfDateCrlRefusesEveryoneUntilItIsReissued() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            AlsClient rest = h.clientOf(REST_LANDLORD);
            h.gateway.pki().reissueCrl(Instant.now().minus(Duration.ofHours(1)));
            ObjectNode e = withdrawal();
            HttpResponse<String> r = rest.post("api/v1/allocation-events", JSON.writeValueAsBytes(e));
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("out of date"), r.body());
            AlsQueues.nothingStoredOrForwarded(h, e.path("messageId").asText());

            Thread.sleep(20);
            h.gateway.pki().reissueCrl(Instant.now().plus(Duration.ofDays(7)));
            assertEquals(200, rest.post("api/v1/allocation-events", JSON.writeValueAsBytes(withdrawal())).statusCode());
        }
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefusedAtTheDoor() throws Exception {
        // Register, before start, an expired certificate for the REST landlord and a future one for the SOAP landlord.
        Pki pki = Pki.openOrCreate(data.resolve("pki"));
        Instant now = Instant.now();
        KeyMaterial expired = pki.issue(REST_LANDLORD, "RSA", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        KeyMaterial future = pki.issue(SOAP_LANDLORD, "RSA", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(400)));
        pki.store(REST_LANDLORD, expired);
        pki.store(SOAP_LANDLORD, future);
        Files.createDirectories(data.resolve("pki/partners"));
        Pki.writePem(data.resolve("pki/partners/" + REST_LANDLORD + ".pem"), expired.certificate());
        Pki.writePem(data.resolve("pki/partners/" + SOAP_LANDLORD + ".pem"), future.certificate());

        try (GatewayHarness h = GatewayHarness.start(data)) {
            ObjectNode e = withdrawal();
            assertThrows(IOException.class, () -> h.clientOf(REST_LANDLORD).post("api/v1/allocation-events",
                    JSON.writeValueAsBytes(e)), "the TLS handshake refuses an expired client certificate");
            AlsQueues.nothingStoredOrForwarded(h, e.path("messageId").asText());

            Map<String, String> s = soapEvent();
            assertThrows(IOException.class, () -> soap(h, s), "the TLS handshake refuses a not-yet-valid certificate");
            AlsQueues.nothingStoredOrForwarded(h, s.get("messageId"));
        }
    }
}
