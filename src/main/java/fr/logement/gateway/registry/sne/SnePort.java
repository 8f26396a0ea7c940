package fr.logement.gateway.registry.sne;

import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.jws.WebService;

import java.util.List;

/** The SNE's machine interface (SOAP 1.2, MTOM for request files), as the gateway calls it. */
@WebService(targetNamespace = SnePort.NS, name = "SnePort", serviceName = "SneService")
public interface SnePort {
    String NS = "urn:fr:logement:sne:v1";

    /** Registers a request file (CRE), or an update of one (MOD, REN, RAD); returns its unique number. */
    @WebMethod
    @WebResult(name = "numUnique")
    String getNumUnique(@WebParam(name = "fichier") FichierDemande fichier) throws SneFault;

    /** The current request file of a unique number. */
    @WebMethod
    @WebResult(name = "fichier")
    FichierDemande getDemandeLogement(@WebParam(name = "numUnique") String numUnique) throws SneFault;

    /** Unique numbers of requests that may be the same household (name, first name, birth date). */
    @WebMethod
    @WebResult(name = "numUnique")
    List<String> getDoublons(@WebParam(name = "nom") String nom, @WebParam(name = "prenom") String prenom,
                             @WebParam(name = "dateNaissance") String dateNaissance) throws SneFault;

    /** Requests radiated since a date (yyyy-MM-dd), oldest first. */
    @WebMethod
    @WebResult(name = "radiation")
    List<Radiation> getDemandesRadieesDepuisLe(@WebParam(name = "depuis") String depuis) throws SneFault;

    /** Households recognised DALO since a date (yyyy-MM-dd), oldest first. */
    @WebMethod
    @WebResult(name = "menageDalo")
    List<MenageDalo> getNouveauxDaloDepuisLe(@WebParam(name = "depuis") String depuis) throws SneFault;

    /** Declares a new DALO decision for a request; returns an acknowledgement id. */
    @WebMethod
    @WebResult(name = "accuse")
    String declarationNouveauDalo(@WebParam(name = "numUnique") String numUnique,
                                  @WebParam(name = "dateDecision") String dateDecision) throws SneFault;
}
