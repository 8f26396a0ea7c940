package fr.logement.gateway.registry.sne;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;

/** The detail of an SNE fault: a code (SNE-4xx: the request; SNE-5xx: the SNE) and a reason. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "SneFaultInfo", propOrder = {"code", "reason"})
public class SneFaultInfo {
    public String code;
    public String reason;

    public SneFaultInfo() {}

    public SneFaultInfo(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }
}
