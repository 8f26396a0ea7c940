package fr.logement.gateway.ingress;

import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.http.HttpResponses;
import org.apache.camel.Exchange;

/** Checks that the identified partner is of the kind a flow accepts inputs from (403 otherwise). */
public final class PartnerAuthorisation {
    private final PartnerDirectory partners;

    public PartnerAuthorisation(PartnerDirectory partners) {
        this.partners = partners;
    }

    public void requireAls(Exchange exchange) {
        require(exchange, Partner.PartnerKind.als);
    }

    public void requireEmployer(Exchange exchange) {
        require(exchange, Partner.PartnerKind.employer);
    }

    public void requireLandlord(Exchange exchange) {
        require(exchange, Partner.PartnerKind.landlord);
    }

    public void require(Exchange exchange, Partner.PartnerKind kind) {
        String id = exchange.getProperty(HttpResponses.PARTNER, String.class);
        Partner p = partners.find(id).orElseThrow(() ->
                new RejectedException(403, "unknown_partner", "tls", "the caller is not a registered partner"));
        if (!p.is(kind)) {
            throw new RejectedException(403, "not_authorised", "tls",
                    "a partner of kind " + p.kind() + " may not use this endpoint (expected " + kind + ")");
        }
    }
}
