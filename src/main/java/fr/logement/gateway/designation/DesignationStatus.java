package fr.logement.gateway.designation;

import java.time.Instant;

/** Where one designation stands, as ALS sees it when it asks. */
public record DesignationStatus(String messageId, String designationId, String submittedBy, String landlordId,
                                String rplsId, Instant deadline, State state, String reason, Instant receivedAt,
                                Instant updatedAt, int attempts, String receiptId, String receiptDigest,
                                Instant deliveredAt) {

    public enum State {
        /** Journaled, on its way to the queue. */
        RECEIVED,
        /** Durable on the queue, waiting for (another) delivery attempt. */
        QUEUED,
        /** The landlord returned a verified signed receipt. */
        DELIVERED,
        /** Its deadline passed before it could be delivered: parked, never delivered late. */
        EXPIRED,
        /** Every attempt failed: parked in the dead-letter queue for an operator. */
        DEAD_LETTERED
    }
}
