package fr.logement.gateway.delivery;

import java.time.Instant;

/**
 * A recipient's signed acknowledgement of one delivered message, checked before it is journaled.
 *
 * @param messageId     the gateway's message id the recipient acknowledges
 * @param receiptId     the recipient's own reference for the receipt
 * @param receivedAt    when the recipient says it received the message
 * @param bodyDigest    the digest ("sha256:" + hex) the recipient computed over what it received
 * @param signerSubject subject of the certificate that signed the receipt (the recipient's registered one)
 * @param receiptDigest digest of the receipt as received, kept for non-repudiation
 */
public record DeliveryReceipt(String messageId, String receiptId, Instant receivedAt, String bodyDigest,
                              String signerSubject, String receiptDigest) {
}
