package fr.logement.gateway.e2e;

import fr.logement.gateway.landlordsim.LandlordSoapClient;
import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.dom.engine.WSSecurityEngine;
import org.apache.wss4j.dom.handler.RequestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static fr.logement.gateway.e2e.GatewayHarness.SOAP_LANDLORD;
import static fr.logement.gateway.landlordsim.LandlordSoapClient.SOAP_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Allocation events over SOAP with WS-Security, through the gateway's real CXF endpoint on Jetty (mTLS), H2 and
 * embedded Artemis. The landlord's envelopes and signatures are built with WSS4J's message API directly; each attack
 * (unsigned, unsigned Timestamp, tampered, wrapped, other signer, weak algorithm, stale or future Timestamp, DTD)
 * gets a fault and leaves nothing stored or forwarded.
 */
class AllocationEventsOverSoapTest {
    @TempDir
    static Path data;
    static GatewayHarness h;
    static LandlordSoapClient client;
    static KeyMaterial landlordKey;
    static JsonNode designation;
    static final SyntheticDesignations GEN = new SyntheticDesignations(808);

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start(data);
        Pki pki = h.gateway.pki();
        landlordKey = pki.ensure(SOAP_LANDLORD);
        client = new LandlordSoapClient(URI.create("https://localhost:" + h.settings.get("gateway.soap.port")
                + "/soap/allocation-events"), landlordKey.privateKey(), landlordKey.certificate(), pki.caCertificate());
        designation = GEN.designation("EVT-SOAP-1", SOAP_LANDLORD, "9200000001", "92050",
                Instant.now().plus(Duration.ofDays(5)), 3);
        h.delivered(designation);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static String nu(int candidate) {
        return designation.at("/candidates/" + candidate + "/identity/numeroUnique").asText();
    }

    private static Map<String, String> decision(int candidate, String decision) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("messageId", "evt-" + UUID.randomUUID());
        m.put("type", "caleol_decision");
        m.put("designationId", "EVT-SOAP-1");
        m.put("numeroUnique", nu(candidate));
        m.put("decision", decision);
        m.put("commissionReference", "CAL-2026-11-92-007");
        m.put("eventDate", "2026-11-19");
        return m;
    }

    private static String signed(Map<String, String> event) throws Exception {
        return LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(event),
                LandlordSoapClient.Signing.by(landlordKey.privateKey(), landlordKey.certificate())));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fault, whose text holds {@code expected}, and nothing stored or forwarded. */
    private static void refused(HttpResponse<String> r, String messageId, String expected) throws Exception {
        assertEquals(500, r.statusCode(), r.body());
        assertTrue(r.body().contains("Fault"), r.body());
        assertTrue(r.body().contains(expected), "expected '" + expected + "' in " + r.body());
        AlsQueues.nothingStoredOrForwarded(h, messageId);
    }

    @Test
    void aSignedDecisionIsAcceptedWithASignedReceiptAndForwardedToAls() throws Exception {
        Map<String, String> e = decision(0, "allocated_rank_1");
        e.put("comment", "NIR " + GEN.nir() + " noté par erreur");
        HttpResponse<String> r = client.post(signed(e));
        assertEquals(200, r.statusCode(), r.body());
        Document answer = parse(r.body());
        Element receipt = (Element) answer.getElementsByTagNameNS(LandlordSoapClient.NS, "AllocationEventReceipt").item(0);
        assertNotNull(receipt, r.body());
        assertEquals(e.get("messageId"), receipt.getElementsByTagNameNS(LandlordSoapClient.NS, "messageId").item(0).getTextContent());
        assertTrue(receipt.getElementsByTagNameNS(LandlordSoapClient.NS, "bodyDigest").item(0).getTextContent().startsWith("sha256:"));

        // The receipt is signed by the gateway: verified with WSS4J's engine and the gateway's certificate alone.
        Merlin trust = new Merlin();
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("gateway", h.gateway.pki().ensure(Pki.GATEWAY).certificate());
        trust.setTrustStore(ts);
        RequestData rd = new RequestData();
        rd.setSigVerCrypto(trust);
        var results = new WSSecurityEngine().processSecurityHeader(answer, rd);
        assertFalse(results.getActionResults().isEmpty(), "the receipt carries a verified signature");

        List<JsonNode> forwarded = AlsQueues.about(h, Broker.ALS_ALLOCATION_EVENTS, e.get("messageId"));
        assertEquals(1, forwarded.size());
        assertEquals("allocated_rank_1", forwarded.get(0).path("decision").asText());
        assertTrue(forwarded.get(0).path("comment").asText().contains("[NIR]"));
        for (String nir : GEN.nirsUsed()) assertFalse(forwarded.get(0).toString().contains(nir));

        // The exact same message again: the same receipt, no second effect.
        String sameEnvelope = signed(decision(0, "allocated_rank_1"));
        HttpResponse<String> first = client.post(sameEnvelope);
        HttpResponse<String> again = client.post(sameEnvelope);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(receiptId(first.body()), receiptId(again.body()));
    }

    private static String receiptId(String body) throws Exception {
        return parse(body).getElementsByTagNameNS(LandlordSoapClient.NS, "receiptId").item(0).getTextContent();
    }

    @Test
    void theWsdlIsPublished() throws Exception {
        HttpResponse<String> r = client.get("?wsdl");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("AllocationEventService"), r.body());
    }

    @Test
    void anUnsignedEnvelopeIsRefused() throws Exception {
        Map<String, String> e = decision(1, "not_allocated");
        refused(client.post(LandlordSoapClient.xml(LandlordSoapClient.envelope(e))), e.get("messageId"), "Fault");
    }

    @Test
    void aSignatureThatLeavesTheTimestampOrTheBodyUncoveredIsRefused() throws Exception {
        for (boolean[] cover : new boolean[][]{{true, false}, {false, true}}) {
            Map<String, String> e = decision(1, "not_allocated");
            String xml = LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(e),
                    LandlordSoapClient.Signing.by(landlordKey.privateKey(), landlordKey.certificate())
                            .covering(cover[0], cover[1])));
            refused(client.post(xml), e.get("messageId"), "Fault");
        }
    }

    @Test
    void aBodyAlteredAfterSigningIsRefused() throws Exception {
        Map<String, String> e = decision(1, "not_allocated");
        String xml = signed(e).replace("not_allocated", "allocated_rank_2");
        refused(client.post(xml), e.get("messageId"), "Fault");
    }

    @Test
    void signatureWrappingIsRefused() throws Exception {
        // 1. The signed Body moved into a header wrapper, a forged Body in its place.
        Map<String, String> genuine = decision(1, "not_allocated");
        Map<String, String> forged = decision(1, "allocated_rank_2");
        forged.put("messageId", genuine.get("messageId"));
        Document doc = LandlordSoapClient.sign(LandlordSoapClient.envelope(genuine),
                LandlordSoapClient.Signing.by(landlordKey.privateKey(), landlordKey.certificate()));
        Element env = doc.getDocumentElement();
        Element header = (Element) env.getElementsByTagNameNS(SOAP_NS, "Header").item(0);
        Element signedBody = (Element) env.getElementsByTagNameNS(SOAP_NS, "Body").item(0);
        Element wrapper = doc.createElementNS("urn:attacker", "x:Wrapper");
        header.appendChild(wrapper);
        env.removeChild(signedBody);
        wrapper.appendChild(signedBody);
        Element fake = doc.createElementNS(SOAP_NS, "soap:Body");
        fake.appendChild(LandlordSoapClient.event(doc, forged));
        env.appendChild(fake);
        refused(client.post(LandlordSoapClient.xml(doc)), genuine.get("messageId"), "Fault");

        // 2. The forged Body carries the signed Body's wsu:Id, the signed one hidden in the header.
        Document doc2 = LandlordSoapClient.sign(LandlordSoapClient.envelope(genuine),
                LandlordSoapClient.Signing.by(landlordKey.privateKey(), landlordKey.certificate()));
        Element env2 = doc2.getDocumentElement();
        Element header2 = (Element) env2.getElementsByTagNameNS(SOAP_NS, "Header").item(0);
        Element body2 = (Element) env2.getElementsByTagNameNS(SOAP_NS, "Body").item(0);
        Element fake2 = (Element) body2.cloneNode(false);
        fake2.appendChild(LandlordSoapClient.event(doc2, forged));
        env2.replaceChild(fake2, body2);
        Element w2 = doc2.createElementNS("urn:attacker", "x:Wrapper");
        w2.appendChild(body2);
        header2.appendChild(w2);
        refused(client.post(LandlordSoapClient.xml(doc2)), genuine.get("messageId"), "Fault");

        // 3. A second Body after the signed one.
        Document doc3 = LandlordSoapClient.sign(LandlordSoapClient.envelope(genuine),
                LandlordSoapClient.Signing.by(landlordKey.privateKey(), landlordKey.certificate()));
        Element fake3 = doc3.createElementNS(SOAP_NS, "soap:Body");
        fake3.appendChild(LandlordSoapClient.event(doc3, forged));
        doc3.getDocumentElement().appendChild(fake3);
        refused(client.post(LandlordSoapClient.xml(doc3)), genuine.get("messageId"), "Fault");
    }

    @Test
    void aValidSignatureByAnotherLandlordIsRefused() throws Exception {
        KeyMaterial other = h.gateway.pki().ensure(REST_LANDLORD);
        Map<String, String> e = decision(1, "not_allocated");
        String xml = LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(e),
                LandlordSoapClient.Signing.by(other.privateKey(), other.certificate())));
        refused(client.post(xml), e.get("messageId"), "not signed by the registered certificate");
    }

    @Test
    void aSelfSignedCertificateNotInTheRegistryIsRefused() throws Exception {
        KeyMaterial stranger = Pki.selfSigned("stranger");
        Map<String, String> e = decision(1, "not_allocated");
        String xml = LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(e),
                LandlordSoapClient.Signing.by(stranger.privateKey(), stranger.certificate())));
        refused(client.post(xml), e.get("messageId"), "Fault");
    }

    @Test
    void rsaSha1IsRefused() throws Exception {
        Map<String, String> e = decision(1, "not_allocated");
        String xml = LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(e),
                LandlordSoapClient.Signing.by(landlordKey.privateKey(), landlordKey.certificate())
                        .algorithm(LandlordSoapClient.RSA_SHA1)));
        refused(client.post(xml), e.get("messageId"), "Fault");
    }

    @Test
    void staleAndFutureTimestampsAreRefused() throws Exception {
        for (Duration shift : List.of(Duration.ofMinutes(-10), Duration.ofMinutes(10))) {
            Map<String, String> e = decision(1, "not_allocated");
            String xml = LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(e),
                    LandlordSoapClient.Signing.by(landlordKey.privateKey(), landlordKey.certificate())
                            .createdAt(Instant.now().plus(shift))));
            refused(client.post(xml), e.get("messageId"), "Fault");
        }
    }

    @Test
    void aDoctypeIsRefused() throws Exception {
        Map<String, String> e = decision(1, "not_allocated");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]>" + signed(e);
        refused(client.post(xml), e.get("messageId"), "Fault");
    }

    @Test
    void anOversizedEnvelopeIsRefusedBeforeItIsParsed() throws Exception {
        Map<String, String> e = decision(1, "not_allocated");
        e.put("comment", "x".repeat(70_000));
        refused(client.post(signed(e)), e.get("messageId"), "larger than");
    }

    @Test
    void anotherMessageUnderAUsedIdIsRefused() throws Exception {
        Map<String, String> first = decision(2, "not_allocated");
        assertEquals(200, client.post(signed(first)).statusCode());
        Map<String, String> other = decision(2, "not_allocated");
        other.put("messageId", first.get("messageId"));
        other.put("commissionReference", "CAL-OTHER");
        HttpResponse<String> r = client.post(signed(other));
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("message_id_reused"), r.body());
        assertEquals(1, AlsQueues.about(h, Broker.ALS_ALLOCATION_EVENTS, first.get("messageId")).size());
    }

    @Test
    void aSchemaViolationIsAFaultNamingTheRule() throws Exception {
        Map<String, String> e = decision(1, "maybe");
        refused(client.post(signed(e)), e.get("messageId"), "invalid_event");
    }

    @Test
    void aStateRuleBrokenOverSoapIsAFaultWithItsCode() throws Exception {
        Map<String, String> lease = new LinkedHashMap<>();
        lease.put("messageId", "evt-" + UUID.randomUUID());
        lease.put("type", "lease_signed");
        lease.put("designationId", "EVT-SOAP-1");
        lease.put("numeroUnique", nu(2));
        lease.put("eventDate", "2026-11-21");
        refused(client.post(signed(lease)), lease.get("messageId"), "no_allocation");
    }

    @Test
    void anEventOnAnotherLandlordsDesignationIsForbiddenEvenWhenValidlySigned() throws Exception {
        JsonNode other = GEN.designation("EVT-SOAP-OTHER", REST_LANDLORD, "9400000002", "94028",
                Instant.now().plus(Duration.ofDays(5)), 1);
        h.delivered(other);
        Map<String, String> e = new LinkedHashMap<>();
        e.put("messageId", "evt-" + UUID.randomUUID());
        e.put("type", "withdrawal");
        e.put("designationId", "EVT-SOAP-OTHER");
        e.put("numeroUnique", other.at("/candidates/0/identity/numeroUnique").asText());
        e.put("eventDate", "2026-11-21");
        refused(client.post(signed(e)), e.get("messageId"), "not_your_designation");
    }
}
