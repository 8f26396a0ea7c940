package fr.logement.gateway.delivery.soap;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

/**
 * The landlord's receipt, the SOAP response body (signed by the landlord over Body and Timestamp).
 * {@code bodyDigest} is {@code sha256:<hex>} of the exclusive canonical form of the request's SOAP Body as received.
 */
@XmlRootElement(name = "DesignationReceipt")
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(propOrder = {"messageId", "receiptId", "receivedAt", "bodyDigest"})
public class DesignationReceipt {
    public String messageId;
    public String receiptId;
    public String receivedAt;
    public String bodyDigest;
}
