/**
 * The national registry of requests (SNE): its public SOAP 1.2 + MTOM interface over mutual TLS (the operations
 * getNumUnique, getDemandeLogement, getDoublons, getDemandesRadieesDepuisLe, getNouveauxDaloDepuisLe,
 * declarationNouveauDalo), the gateway's client for it, the synchronisation job, and a simulated SNE for the demo
 * and the tests. Contract: schemas/sne-v1.wsdl.
 */
@XmlSchema(namespace = SnePort.NS, elementFormDefault = XmlNsForm.QUALIFIED)
package fr.logement.gateway.registry.sne;

import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
