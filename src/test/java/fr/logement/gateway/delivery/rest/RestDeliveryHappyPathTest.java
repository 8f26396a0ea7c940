package fr.logement.gateway.delivery.rest;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.delivery.DeliveryReceipt;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import fr.logement.gateway.landlordsim.RestLandlordSimulator.ReceivedDesignation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A designation with a PDF and a PNG reaches the landlord intact over mTLS, and its signed receipt is verified. */
class RestDeliveryHappyPathTest {
    @TempDir
    Path dir;

    @Test
    void documentsArriveIntactAndTheReceiptIsVerified() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            RestLandlordSimulator landlord = f.startLandlord();
            JsonNode designation = f.designation();

            DeliveryReceipt receipt = f.sender().send(f.landlord(landlord.endpoint()), "msg-001", designation, f.store);

            List<ReceivedDesignation> received = landlord.received();
            assertEquals(1, received.size());
            ReceivedDesignation r = received.get(0);
            assertEquals("msg-001", r.messageId());
            assertArrayEquals(f.pdf, r.documents().get("d1"), "PDF bytes");
            assertArrayEquals(f.png, r.documents().get("d2"), "PNG bytes");
            assertEquals(designation, r.designation(), "the designation arrives as sent, content aside");

            JsonNode wire = Json.mapper().readTree(r.rawBody());
            assertEquals("msg-001", wire.get("messageId").asText());
            assertTrue(wire.at("/designation/candidates/0/documents/0/content").isTextual(), "content as base64 string");

            assertEquals("msg-001", receipt.messageId());
            assertEquals(Digests.sha256(r.rawBody()), receipt.bodyDigest(), "the landlord digested what was sent");
            assertTrue(receipt.receiptId().startsWith("RCPT-"));
            assertTrue(Duration.between(receipt.receivedAt(), Instant.now()).abs().getSeconds() < 10);
            assertEquals(f.landlordKey.certificate().getSubjectX500Principal().getName(), receipt.signerSubject());
            assertTrue(receipt.receiptDigest().matches("sha256:[0-9a-f]{64}"));

            try (var left = Files.list(dir.resolve("tmp/rest-outbox"))) {
                assertFalse(left.findAny().isPresent(), "the temporary body is deleted");
            }
        }
    }
}
