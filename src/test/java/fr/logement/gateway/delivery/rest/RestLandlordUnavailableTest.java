package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A landlord answering 503 (or failing with 500) makes the delivery fail, so that the broker retries it later. */
class RestLandlordUnavailableTest {
    @TempDir
    Path dir;

    @Test
    void unavailableLandlordIsADeliveryFailure() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            RestLandlordSimulator landlord = f.startLandlord();
            landlord.setAvailable(false);
            RestDesignationSender sender = f.sender();

            DeliveryException e = assertThrows(DeliveryException.class,
                    () -> sender.send(f.landlord(landlord.endpoint()), "msg-003", f.designation(), f.store));
            assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
            assertEquals(0, landlord.received().size());

            landlord.setAvailable(true);
            sender.send(f.landlord(landlord.endpoint()), "msg-003", f.designation(), f.store);
            assertEquals(1, landlord.received().size(), "the retry goes through");
        }
    }

    @Test
    void failingLandlordIsADeliveryFailureUntilItRecovers() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            RestLandlordSimulator landlord = f.startLandlord();
            landlord.failNext(2);
            RestDesignationSender sender = f.sender();

            for (int i = 0; i < 2; i++) {
                DeliveryException e = assertThrows(DeliveryException.class,
                        () -> sender.send(f.landlord(landlord.endpoint()), "msg-004", f.designation(), f.store));
                assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
            }
            sender.send(f.landlord(landlord.endpoint()), "msg-004", f.designation(), f.store);
            assertEquals(1, landlord.received().size());
            assertEquals(3, landlord.requestCount());
        }
    }
}
