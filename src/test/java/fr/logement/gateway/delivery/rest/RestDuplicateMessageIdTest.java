package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.delivery.DeliveryReceipt;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Delivering the same message id twice (a redelivery) is stored once and acknowledged with the same receipt. */
class RestDuplicateMessageIdTest {
    @TempDir
    Path dir;

    @Test
    void sameMessageIdIsStoredOnceAndGetsTheSameReceipt() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            RestLandlordSimulator landlord = f.startLandlord();
            RestDesignationSender sender = f.sender();

            DeliveryReceipt first = sender.send(f.landlord(landlord.endpoint()), "msg-005", f.designation(), f.store);
            DeliveryReceipt second = sender.send(f.landlord(landlord.endpoint()), "msg-005", f.designation(), f.store);

            assertEquals(2, landlord.requestCount());
            assertEquals(1, landlord.received().size());
            assertEquals(first.receiptId(), second.receiptId());
            assertEquals(first.receiptDigest(), second.receiptDigest());

            sender.send(f.landlord(landlord.endpoint()), "msg-006", f.designation(), f.store);
            assertEquals(2, landlord.received().size(), "another message id is another message");
        }
    }
}
