/** SOAP delivery of designations to landlords: contract classes, WS-Security and the CXF client. */
@XmlSchema(namespace = SoapContract.NS, elementFormDefault = XmlNsForm.QUALIFIED)
package fr.logement.gateway.delivery.soap;

import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
