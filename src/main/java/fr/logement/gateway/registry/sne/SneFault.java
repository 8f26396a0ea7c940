package fr.logement.gateway.registry.sne;

import jakarta.xml.ws.WebFault;

/** A refusal by the SNE: a SOAP fault whose detail carries a code and a reason. */
@WebFault(name = "sneFault", targetNamespace = SnePort.NS)
public class SneFault extends Exception {
    private final SneFaultInfo info;

    public SneFault(String code, String reason) {
        this(code + ": " + reason, new SneFaultInfo(code, reason));
    }

    public SneFault(String message, SneFaultInfo info) {
        super(message);
        this.info = info;
    }

    public SneFaultInfo getFaultInfo() {
        return info;
    }

    /** The fault's code, e.g. SNE-503 (null when the SNE gave none). */
    public String code() {
        return info == null ? null : info.code;
    }
}
