package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.pki.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receipt signed by a key other than the landlord's registered one is refused, even when the CA vouches for that
 * key (it also serves TLS here): the delivery is not confirmed.
 */
class RestReceiptFromUnregisteredKeyTest {
    @TempDir
    Path dir;

    @Test
    void receiptSignedByAnotherKeyIsRefused() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            KeyMaterial impostor = f.pki.ensure("impostor-landlord");
            var landlord = f.startLandlord(impostor);

            DeliveryException e = assertThrows(DeliveryException.class,
                    () -> f.sender().send(f.landlord(landlord.endpoint()), "msg-002", f.designation(), f.store));

            assertTrue(e.getMessage().contains("receipt signature refused"), e.getMessage());
            assertTrue(e.getMessage().contains("NOT_REGISTERED_SIGNER"), e.getMessage());
            assertFalse(e.getMessage().contains("Durand"), "no personal data in the message");
        }
    }
}
