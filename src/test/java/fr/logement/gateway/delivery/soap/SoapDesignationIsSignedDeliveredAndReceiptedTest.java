package fr.logement.gateway.delivery.soap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.delivery.DeliveryReceipt;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.landlordsim.SoapLandlordSimulator;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoapDesignationIsSignedDeliveredAndReceiptedTest {
    @TempDir
    Path dir;

    @Test
    void documentsArriveAsMtomAttachmentsAndTheSignedReceiptIsVerified() throws Exception {
        try (SoapDeliveryHarness h = new SoapDeliveryHarness(dir, null)) {
            ObjectNode d = h.designation("SOAP-1");
            DeliveryReceipt receipt = h.sender.send(h.landlord, "msg-1", d, h.store);
            assertEquals("msg-1", receipt.messageId());
            assertTrue(receipt.bodyDigest().startsWith("sha256:"));
            assertEquals(1, h.simulator.received().size());
            SoapLandlordSimulator.ReceivedDesignation got = h.simulator.received().get(0);
            assertArrayEquals(SyntheticDesignations.pdf("Piece d'identite"), got.attachments().get("d1a"));
            assertArrayEquals(SyntheticDesignations.png(), got.attachments().get("d1b"));
            String raw = new String(got.rawEnvelope(), StandardCharsets.ISO_8859_1);
            assertTrue(raw.contains("xop:Include") || raw.contains(":Include"), "documents travel as MTOM attachments");
            assertTrue(raw.contains("BinarySecurityToken"));
            assertEquals(d.at("/candidates/0/identity/lastName").asText(),
                    got.designation().at("/candidates/0/identity/lastName").asText());
        }
    }

    @Test
    void theSameMessageTwiceIsStoredOnceWithTheSameReceipt() throws Exception {
        try (SoapDeliveryHarness h = new SoapDeliveryHarness(dir, null)) {
            ObjectNode d = h.designation("SOAP-2");
            DeliveryReceipt first = h.sender.send(h.landlord, "msg-2", d, h.store);
            DeliveryReceipt second = h.sender.send(h.landlord, "msg-2", d, h.store);
            assertEquals(first.receiptId(), second.receiptId());
            assertEquals(1, h.simulator.received().size());
        }
    }

    @Test
    void aLandlordThatTrustsAnotherSignerRefusesTheGatewaysMessageAndStoresNothing() throws Exception {
        try (SoapDeliveryHarness h = new SoapDeliveryHarness(dir, Pki.selfSigned("someone-else"))) {
            DeliveryException e = assertThrows(DeliveryException.class,
                    () -> h.sender.send(h.landlord, "msg-3", h.designation("SOAP-3"), h.store));
            assertTrue(e.getMessage().contains("SOAP fault"), e.getMessage());
            assertEquals(0, h.simulator.received().size());
        }
    }

    @Test
    void aReceiptSignedByAKeyOtherThanTheLandlordsRegisteredCertificateIsRefused() throws Exception {
        try (SoapDeliveryHarness h = new SoapDeliveryHarness(dir, null)) {
            // The registered certificate now belongs to someone else: the genuine receipt no longer counts.
            Pki.writePem(dir.resolve("partners/landlord.pem"), h.pki.ensure("impostor").certificate());
            SoapDesignationSender fresh = new SoapDesignationSender(h.gateway, h.pki.tlsContext(h.gateway), dir);
            assertThrows(DeliveryException.class, () -> fresh.send(h.landlord, "msg-4", h.designation("SOAP-4"), h.store));
        }
    }

    @Test
    void anUnavailableLandlordIsARetryableFailure() throws Exception {
        try (SoapDeliveryHarness h = new SoapDeliveryHarness(dir, null)) {
            h.simulator.setAvailable(false);
            assertThrows(DeliveryException.class, () -> h.sender.send(h.landlord, "msg-5", h.designation("SOAP-5"), h.store));
            assertEquals(0, h.simulator.received().size());
        }
    }
}
