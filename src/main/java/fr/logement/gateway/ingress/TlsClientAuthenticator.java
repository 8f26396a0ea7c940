package fr.logement.gateway.ingress;

import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.pki.PartnerCertificates;
import org.apache.camel.Exchange;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Recognises the calling partner by the client certificate of the TLS connection, which must be exactly one
 * partner's registered certificate (403 otherwise), and drops every inbound header Camel would read as an instruction.
 */
public final class TlsClientAuthenticator {
    /** Set by Camel's Netty consumer from the TLS connection itself, never from a request header. */
    static final String SSL_SESSION = "CamelNettySSLSession";

    private final PartnerCertificates certificates;
    private final PartnerDirectory partners;

    public TlsClientAuthenticator(PartnerCertificates certificates, PartnerDirectory partners) {
        this.certificates = certificates;
        this.partners = partners;
    }

    public void identify(Exchange exchange) {
        SSLSession session = exchange.getMessage().getHeader(SSL_SESSION, SSLSession.class);
        // Whatever the caller sent, no header starting with "Camel" survives the door.
        CamelHeaders.dropSentByCaller(exchange.getMessage());
        exchange.getMessage().removeHeader(SSL_SESSION);
        if (session == null) {
            throw new RejectedException(403, "no_client_certificate", "tls", "a client certificate is required");
        }
        X509Certificate presented;
        try {
            Certificate[] chain = session.getPeerCertificates();
            presented = (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new RejectedException(403, "no_client_certificate", "tls", "a client certificate is required");
        }
        String problem = certificates.problemWith(presented).orElse(null);
        if (problem != null) throw new RejectedException(403, "certificate_refused", "tls", problem);
        String partnerId = certificates.partnerOf(presented)
                .orElseThrow(() -> new RejectedException(403, "unknown_partner", "tls",
                        "the client certificate is not registered for any partner"));
        partners.find(partnerId).orElseThrow();
        exchange.setProperty(HttpResponses.PARTNER, partnerId);
    }
}
