package fr.logement.gateway.delivery.soap;

/** Names of the SOAP contract (schemas/landlord-designation.wsdl and schemas/designation-v1.xsd). */
public final class SoapContract {
    public static final String NS = "urn:fr:logement:gateway:designation:v1";
    public static final String SERVICE = "LandlordDesignationService";
    public static final String PORT = "LandlordDesignationPort";

    private SoapContract() {}
}
