package fr.logement.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.documents.DocumentSource;

/** Delivers one filtered designation to a landlord over its protocol, and returns its verified signed receipt. */
public interface DesignationSender {
    /**
     * @param landlord    the recipient, with its endpoint and registered certificate
     * @param messageId   the gateway's message id (the landlord deduplicates on it)
     * @param designation the designation already filtered for (landlord, designation); each element of
     *                    {@code candidates[].documents[]} carries {@code sha256}, {@code mediaType}, {@code fileName},
     *                    {@code size} but no content: the content is read from {@code documents} by its sha256
     */
    DeliveryReceipt send(Partner landlord, String messageId, JsonNode designation, DocumentSource documents)
            throws DeliveryException;
}
