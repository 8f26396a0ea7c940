package fr.logement.gateway.delivery.soap;

import fr.logement.gateway.pki.KeyMaterial;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.ws.security.wss4j.DefaultCryptoCoverageChecker;
import org.apache.cxf.ws.security.wss4j.WSS4JInInterceptor;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.apache.wss4j.dom.engine.WSSecurityEngineResult;
import org.apache.wss4j.dom.handler.WSHandlerConstants;
import org.apache.wss4j.dom.handler.WSHandlerResult;
import org.apache.wss4j.dom.WSDataRef;
import org.apache.cxf.interceptor.InterceptorProvider;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WS-Security as the gateway and its partners use it: an X.509 signature (BinarySecurityToken, exclusive C14N,
 * SHA-256, RSA-SHA256 or ECDSA-SHA256) over the SOAP Body and the Timestamp. On the way in, the Body and the
 * Timestamp must both be covered (on the exact elements), the algorithms must be in the allow-list and the signer
 * must be exactly the certificate registered for the partner: a certificate embedded in the message trusts nothing.
 */
public final class WsSecurity {
    static final String SOAP11_BODY = "{}{http://schemas.xmlsoap.org/soap/envelope/}Body";
    static final String TIMESTAMP = "{}{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd}Timestamp";
    public static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public static final String ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    static final String EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    static final Set<String> SIGNATURE_ALGORITHMS = Set.of(RSA_SHA256, ECDSA_SHA256);
    private static final char[] TRANSIENT = "transient".toCharArray();

    private WsSecurity() {}

    /** Signs outgoing messages (Body and Timestamp) with {@code key}. */
    public static void signWith(InterceptorProvider endpoint, KeyMaterial key) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " " + ConfigurationConstants.SIGNATURE);
        p.put(ConfigurationConstants.SIGNATURE_USER, key.alias());
        p.put(ConfigurationConstants.SIG_PROP_REF_ID, "signingCrypto");
        p.put("signingCrypto", crypto(key, List.of()));
        p.put(ConfigurationConstants.PW_CALLBACK_REF, (CallbackHandler) WsSecurity::password);
        p.put(ConfigurationConstants.SIG_KEY_ID, "DirectReference");
        p.put(ConfigurationConstants.SIG_ALGO, "EC".equals(key.privateKey().getAlgorithm()) ? ECDSA_SHA256 : RSA_SHA256);
        p.put(ConfigurationConstants.SIG_DIGEST_ALGO, SHA256);
        p.put(ConfigurationConstants.SIG_C14N_ALGO, EXC_C14N);
        p.put(ConfigurationConstants.SIGNATURE_PARTS, SOAP11_BODY + ";" + TIMESTAMP);
        p.put(ConfigurationConstants.TTL_TIMESTAMP, "300");
        // Sign the xop:Include elements as they travel; each attachment's SHA-256 is inside the signed Body.
        p.put(ConfigurationConstants.EXPAND_XOP_INCLUDE, "false");
        endpoint.getOutInterceptors().add(new WSS4JOutInterceptor(p));
    }

    /** Requires incoming messages to be signed, over Body and Timestamp, by exactly {@code signer}. */
    public static void requireSignatureBy(InterceptorProvider endpoint, X509Certificate signer) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " " + ConfigurationConstants.SIGNATURE);
        p.put(ConfigurationConstants.SIG_VER_PROP_REF_ID, "verificationCrypto");
        // The trust store holds the partner's registered certificate alone: no CA, so nothing else is trusted.
        p.put("verificationCrypto", crypto(null, List.of(signer)));
        p.put(ConfigurationConstants.EXPAND_XOP_INCLUDE, "false");
        p.put(ConfigurationConstants.TTL_TIMESTAMP, "300");
        p.put(ConfigurationConstants.TTL_FUTURE_TIMESTAMP, "60");
        p.put(ConfigurationConstants.IS_BSP_COMPLIANT, "true");
        endpoint.getInInterceptors().add(new WSS4JInInterceptor(p));
        DefaultCryptoCoverageChecker coverage = new DefaultCryptoCoverageChecker();
        coverage.setSignBody(true);
        coverage.setSignTimestamp(true);
        coverage.setSignAddressingHeaders(false);
        endpoint.getInInterceptors().add(coverage);
        endpoint.getInInterceptors().add(new SignaturePolicy(signer));
    }

    /** Checks what WSS4J verified: allowed algorithms only, and the signer is the registered certificate. */
    static final class SignaturePolicy extends AbstractPhaseInterceptor<SoapMessage> {
        private final X509Certificate signer;

        SignaturePolicy(X509Certificate signer) {
            super(Phase.PRE_PROTOCOL);
            getAfter().add(WSS4JInInterceptor.class.getName());
            getAfter().add(DefaultCryptoCoverageChecker.class.getName());
            this.signer = signer;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void handleMessage(SoapMessage message) {
            List<WSHandlerResult> results = (List<WSHandlerResult>) message.get(WSHandlerConstants.RECV_RESULTS);
            int signatures = 0;
            if (results != null) {
                for (WSHandlerResult r : results) {
                    for (WSSecurityEngineResult e : r.getResults()) {
                        Integer action = (Integer) e.get(WSSecurityEngineResult.TAG_ACTION);
                        if (action == null || action != org.apache.wss4j.dom.WSConstants.SIGN) continue;
                        signatures++;
                        if (!SIGNATURE_ALGORITHMS.contains((String) e.get(WSSecurityEngineResult.TAG_SIGNATURE_METHOD))) {
                            throw new Fault(new SecurityException("signature algorithm not allowed"));
                        }
                        for (WSDataRef ref : (List<WSDataRef>) e.get(WSSecurityEngineResult.TAG_DATA_REF_URIS)) {
                            if (!SHA256.equals(ref.getDigestAlgorithm())) {
                                throw new Fault(new SecurityException("digest algorithm not allowed"));
                            }
                        }
                        X509Certificate cert = (X509Certificate) e.get(WSSecurityEngineResult.TAG_X509_CERTIFICATE);
                        if (cert == null || !cert.equals(signer)) {
                            throw new Fault(new SecurityException("not signed by the registered certificate"));
                        }
                    }
                }
            }
            if (signatures != 1) throw new Fault(new SecurityException("exactly one signature is required"));
        }
    }

    private static Merlin crypto(KeyMaterial key, List<X509Certificate> trusted) {
        try {
            Merlin m = new Merlin();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            if (key != null) ks.setKeyEntry(key.alias(), key.privateKey(), TRANSIENT, key.chain().toArray(new X509Certificate[0]));
            m.setKeyStore(ks);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate c : trusted) ts.setCertificateEntry("trusted-" + i++, c);
            m.setTrustStore(ts);
            return m;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the WS-Security key store: " + e.getMessage(), e);
        }
    }

    private static void password(Callback[] callbacks) {
        Arrays.stream(callbacks).filter(c -> c instanceof WSPasswordCallback)
                .forEach(c -> ((WSPasswordCallback) c).setPassword(new String(TRANSIENT)));
    }
}
