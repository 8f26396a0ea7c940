package fr.logement.gateway.registry.sne;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;

/** A household recognised DALO (priority, enforceable right to housing): its request and the decision date. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "MenageDalo", propOrder = {"numUnique", "dateDecision", "departement"})
public class MenageDalo {
    public String numUnique;
    public String dateDecision;
    public String departement;
}
