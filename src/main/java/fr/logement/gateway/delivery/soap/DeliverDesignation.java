package fr.logement.gateway.delivery.soap;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/**
 * The SOAP request body: the message id, the filtered designation as canonical XML, and each document's bytes as an
 * MTOM attachment. The designation part carries each document's SHA-256, so the signature over the Body also
 * vouches for every attachment.
 */
@XmlRootElement(name = "DeliverDesignation")
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(propOrder = {"messageId", "designation", "documents"})
public class DeliverDesignation {
    @XmlElement(required = true)
    public String messageId;

    /** {@code <designation>} holding the canonical XML of the filtered designation. */
    @XmlAnyElement
    public Element designation;

    @XmlElement(name = "document")
    public List<SoapDocument> documents = new ArrayList<>();
}
