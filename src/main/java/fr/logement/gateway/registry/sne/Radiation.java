package fr.logement.gateway.registry.sne;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;

/** A request radiated from the registry: number, version of the radiation, date, reason. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "Radiation", propOrder = {"numUnique", "version", "dateRadiation", "motif"})
public class Radiation {
    public String numUnique;
    public int version;
    public String dateRadiation;
    public String motif;
}
