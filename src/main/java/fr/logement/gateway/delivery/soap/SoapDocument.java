package fr.logement.gateway.delivery.soap;

import jakarta.activation.DataHandler;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlMimeType;

/** One supporting document: its id and digest in the signed Body, its bytes as an MTOM attachment. */
@XmlAccessorType(XmlAccessType.FIELD)
public class SoapDocument {
    @XmlAttribute(required = true)
    public String documentId;

    @XmlAttribute(required = true)
    public String sha256;

    @XmlElement(required = true)
    @XmlMimeType("application/octet-stream")
    public DataHandler content;
}
