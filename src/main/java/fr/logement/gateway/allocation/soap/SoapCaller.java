package fr.logement.gateway.allocation.soap;

import fr.logement.gateway.pki.PartnerCertificates;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.security.transport.TLSSessionInfo;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Recognises the calling partner by its TLS client certificate, which must be exactly one partner's registered
 * certificate (and valid, and not revoked), before anything else reads the message. The partner id is kept on the
 * exchange for the signature check (same partner) and the flow.
 */
final class SoapCaller extends AbstractPhaseInterceptor<SoapMessage> {
    static final String PARTNER = "gateway.partner";

    private final PartnerCertificates certificates;

    SoapCaller(PartnerCertificates certificates) {
        super(Phase.RECEIVE);
        this.certificates = certificates;
    }

    @Override
    public void handleMessage(SoapMessage message) {
        TLSSessionInfo tls = message.get(TLSSessionInfo.class);
        Certificate[] chain = tls == null ? null : tls.getPeerCertificates();
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate presented)) {
            throw new Fault(new SecurityException("a client certificate is required"));
        }
        String reason = certificates.problemWith(presented).orElse(null);
        if (reason != null) throw new Fault(new SecurityException("client certificate refused: " + reason));
        String partner = certificates.partnerOf(presented)
                .orElseThrow(() -> new Fault(new SecurityException("the client certificate is not registered for any partner")));
        message.getExchange().put(PARTNER, partner);
    }

    static String partnerOf(SoapMessage message) {
        return (String) message.getExchange().get(PARTNER);
    }
}
