package fr.logement.gateway.employer;

import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.ingress.RejectedException;
import org.apache.camel.Exchange;

/** The paths under /api/v1/employers/{employerId}/{collection}/{item}, where an employer reads only its own. */
final class EmployerPath {
    private EmployerPath() {}

    /**
     * The {item} of the request's path: 404 when the path is not /{employerId}/{collection}/{item}; 403 {@code code}
     * when {employerId} is not the caller.
     */
    static String ownItem(Exchange exchange, String collection, String item, String code, String why) {
        String caller = exchange.getProperty(HttpResponses.PARTNER, String.class);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String[] parts = path == null ? new String[0] : path.replaceAll("^/+", "").split("/");
        if (parts.length != 3 || !parts[1].equals(collection)) {
            throw new RejectedException(404, "not_found", "path",
                    "expected /api/v1/employers/{employerId}/" + collection + "/{" + item + "}");
        }
        if (!parts[0].equals(caller)) throw new RejectedException(403, code, "employerId", why);
        return parts[2];
    }
}
