package fr.logement.gateway.delivery.soap;

import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.jws.WebService;
import jakarta.jws.soap.SOAPBinding;

/** The landlord's SOAP port for designations (document/literal, bare), as published in schemas/landlord-designation.wsdl. */
@WebService(name = SoapContract.PORT, targetNamespace = SoapContract.NS)
@SOAPBinding(parameterStyle = SOAPBinding.ParameterStyle.BARE)
public interface LandlordDesignationPort {
    @WebMethod(operationName = "DeliverDesignation", action = "urn:DeliverDesignation")
    @WebResult(name = "DesignationReceipt", targetNamespace = SoapContract.NS, partName = "receipt")
    DesignationReceipt deliverDesignation(
            @WebParam(name = "DeliverDesignation", targetNamespace = SoapContract.NS, partName = "request")
            DeliverDesignation request);
}
