package fr.logement.gateway.ingress;

import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.jose.JwsVerificationException;
import fr.logement.gateway.pki.PartnerCertificates;
import org.apache.camel.Exchange;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks the detached JWS of a request body ({@code X-JWS-Signature}) against the registered certificate of the
 * partner already identified over TLS, so the body is known to come, unaltered and recently, from that partner.
 */
public final class RequestSignature {
    private final PartnerCertificates certificates;
    private final Clock clock;
    private final Duration maxAge;

    public RequestSignature(PartnerCertificates certificates, Clock clock, long maxAgeSeconds) {
        this.certificates = certificates;
        this.clock = clock;
        this.maxAge = Duration.ofSeconds(maxAgeSeconds);
    }

    public void verify(Exchange exchange) {
        String partner = exchange.getProperty(HttpResponses.PARTNER, String.class);
        X509Certificate registered = certificates.of(partner).orElseThrow(() ->
                new RejectedException(403, "unknown_partner", "tls", "the caller is not a registered partner"));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String header = exchange.getMessage().getHeader(DetachedJws.HTTP_HEADER, String.class);
        try {
            DetachedJws.verify(body == null ? new byte[0] : body, header, registered, DetachedJws.SUPPORTED, clock, maxAge);
        } catch (JwsVerificationException e) {
            throw new RejectedException(401, "bad_signature", DetachedJws.HTTP_HEADER,
                    e.reason().name().toLowerCase() + ": " + e.getMessage());
        }
        // Keep the raw bytes as the body: the signature covers exactly these.
        exchange.getMessage().setBody(body);
    }
}
