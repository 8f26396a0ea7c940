package fr.logement.gateway.registry.sne;

import jakarta.activation.DataHandler;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlMimeType;
import jakarta.xml.bind.annotation.XmlType;

/**
 * A request file: its header (file type CRE, MOD, REN or RAD with its reason; the unique number once known; the
 * version) and the request itself in the national model (JSON), sent as an MTOM attachment.
 */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "FichierDemande", propOrder = {"typeFichier", "motifRadiation", "numUnique", "version", "demande"})
public class FichierDemande {
    @XmlElement(required = true)
    public String typeFichier;
    public String motifRadiation;
    public String numUnique;
    public int version;
    @XmlMimeType("application/json")
    @XmlElement(required = true)
    public DataHandler demande;
}
