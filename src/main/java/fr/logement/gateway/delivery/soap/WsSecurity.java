package fr.logement.gateway.delivery.soap;

import fr.logement.gateway.pki.KeyMaterial;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.ws.security.wss4j.WSS4JInInterceptor;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.engine.WSSecurityEngineResult;
import org.apache.wss4j.dom.handler.WSHandlerConstants;
import org.apache.wss4j.dom.handler.WSHandlerResult;
import org.apache.wss4j.dom.WSDataRef;
import org.apache.cxf.interceptor.InterceptorProvider;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Function;
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
    static final String SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
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
        p.put("signingCrypto", signingCrypto(key.privateKey(), key.alias(), key.certificate()));
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
        requireSignature(endpoint, List.of(signer), m -> signer, 300, true);
    }

    /**
     * Requires incoming messages to be signed, over Body and Timestamp, by the registered certificate of the calling
     * partner ({@code expectedSigner}, from the TLS client certificate). {@code trusted} holds every registered
     * certificate, and nothing else (no CA). The timestamp must be at most {@code maxAgeSeconds} old (and not in the
     * future beyond 60 s of skew). The timestamp replay cache is off: the same message sent again is answered by
     * message id (same receipt, no second effect); a replay after the window fails on its timestamp.
     */
    public static void requireSignatureByCaller(InterceptorProvider endpoint, Collection<X509Certificate> trusted,
                                                Function<SoapMessage, X509Certificate> expectedSigner, int maxAgeSeconds) {
        requireSignature(endpoint, trusted, expectedSigner, maxAgeSeconds, false);
    }

    private static void requireSignature(InterceptorProvider endpoint, Collection<X509Certificate> trusted,
                                         Function<SoapMessage, X509Certificate> expectedSigner, int maxAgeSeconds,
                                         boolean replayCache) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " " + ConfigurationConstants.SIGNATURE);
        p.put(ConfigurationConstants.SIG_VER_PROP_REF_ID, "verificationCrypto");
        // The trust store holds registered certificates alone: no CA, so nothing else is trusted.
        p.put("verificationCrypto", trusting(List.copyOf(trusted)));
        p.put(ConfigurationConstants.EXPAND_XOP_INCLUDE, "false");
        p.put(ConfigurationConstants.TTL_TIMESTAMP, Integer.toString(maxAgeSeconds));
        p.put(ConfigurationConstants.TTL_FUTURE_TIMESTAMP, "60");
        p.put(ConfigurationConstants.TIMESTAMP_STRICT, "true");
        p.put(ConfigurationConstants.IS_BSP_COMPLIANT, "true");
        p.put(ConfigurationConstants.ENABLE_REVOCATION, "false"); // revocation is checked against the partners' CRLs
        if (!replayCache) p.put("ws-security.enable.timestamp.cache", "false");
        endpoint.getInInterceptors().add(new WSS4JInInterceptor(p));
        // Coverage (Body and Timestamp signed, in place) is checked by SignaturePolicy on WSS4J's results: CXF's
        // CryptoCoverageChecker would check it again by XPath, at about 15% of the CPU an event costs.
        endpoint.getInInterceptors().add(new SignaturePolicy(expectedSigner));
        endpoint.getInInterceptors().add(new EnvelopeShape());
    }

    /**
     * One Header at most, one Body, one wsse:Security header: an envelope with a second Body or Security header
     * could have a signed part checked and another one processed.
     */
    static final class EnvelopeShape extends AbstractPhaseInterceptor<SoapMessage> {
        EnvelopeShape() {
            super(Phase.PRE_PROTOCOL);
            getAfter().add(WSS4JInInterceptor.class.getName());
        }

        @Override
        public void handleMessage(SoapMessage message) {
            jakarta.xml.soap.SOAPMessage saaj = message.getContent(jakarta.xml.soap.SOAPMessage.class);
            if (saaj == null) throw new Fault(new SecurityException("the envelope could not be read"));
            try {
                org.w3c.dom.Element envelope = saaj.getSOAPPart().getEnvelope();
                int headers = 0;
                int bodies = 0;
                for (org.w3c.dom.Node n = envelope.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n.getNodeType() != org.w3c.dom.Node.ELEMENT_NODE) continue;
                    if ("Header".equals(n.getLocalName())) headers++;
                    else if ("Body".equals(n.getLocalName())) bodies++;
                    else throw new Fault(new SecurityException("unexpected element in the envelope"));
                }
                if (headers > 1 || bodies != 1) {
                    throw new Fault(new SecurityException("the envelope must hold one Body and at most one Header"));
                }
                org.w3c.dom.NodeList security = envelope.getElementsByTagNameNS(
                        org.apache.wss4j.common.WSS4JConstants.WSSE_NS, "Security");
                if (security.getLength() != 1) {
                    throw new Fault(new SecurityException("exactly one wsse:Security header is required"));
                }
            } catch (jakarta.xml.soap.SOAPException e) {
                throw new Fault(new SecurityException("the envelope could not be read"));
            }
        }
    }

    /** Checks what WSS4J verified: allowed algorithms only, and the signer is the registered certificate. */
    static final class SignaturePolicy extends AbstractPhaseInterceptor<SoapMessage> {
        private final Function<SoapMessage, X509Certificate> expectedSigner;

        SignaturePolicy(Function<SoapMessage, X509Certificate> expectedSigner) {
            super(Phase.PRE_PROTOCOL);
            getAfter().add(WSS4JInInterceptor.class.getName());
            this.expectedSigner = expectedSigner;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void handleMessage(SoapMessage message) {
            X509Certificate signer = expectedSigner.apply(message);
            if (signer == null) throw new Fault(new SecurityException("no registered certificate for the caller"));
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
                        if (!EXC_C14N.equals(e.get(WSSecurityEngineResult.TAG_CANONICALIZATION_METHOD))) {
                            throw new Fault(new SecurityException("canonicalization algorithm not allowed"));
                        }
                        boolean bodySigned = false;
                        boolean timestampSigned = false;
                        for (WSDataRef ref : (List<WSDataRef>) e.get(WSSecurityEngineResult.TAG_DATA_REF_URIS)) {
                            if (!SHA256.equals(ref.getDigestAlgorithm())) {
                                throw new Fault(new SecurityException("digest algorithm not allowed"));
                            }
                            bodySigned |= isTheBody(ref.getProtectedElement());
                            timestampSigned |= isTheTimestamp(ref.getProtectedElement());
                        }
                        // The signed elements must be the envelope's own Body and the Security header's Timestamp,
                        // not look-alikes moved elsewhere (signature wrapping).
                        if (!bodySigned || !timestampSigned) {
                            throw new Fault(new SecurityException("the Body and the Timestamp in place must both be signed"));
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

    /** A SOAP Body that is a direct child of the document's Envelope. */
    static boolean isTheBody(org.w3c.dom.Element e) {
        if (e == null || !"Body".equals(e.getLocalName()) || !SOAP11_NS.equals(e.getNamespaceURI())) return false;
        org.w3c.dom.Node parent = e.getParentNode();
        return parent != null && parent.isSameNode(e.getOwnerDocument().getDocumentElement())
                && "Envelope".equals(parent.getLocalName()) && SOAP11_NS.equals(parent.getNamespaceURI());
    }

    /** A wsu:Timestamp that is a direct child of wsse:Security, itself a direct child of the Envelope's Header. */
    static boolean isTheTimestamp(org.w3c.dom.Element e) {
        if (e == null || !"Timestamp".equals(e.getLocalName())
                || !org.apache.wss4j.common.WSS4JConstants.WSU_NS.equals(e.getNamespaceURI())) {
            return false;
        }
        org.w3c.dom.Node security = e.getParentNode();
        if (security == null || !"Security".equals(security.getLocalName())
                || !org.apache.wss4j.common.WSS4JConstants.WSSE_NS.equals(security.getNamespaceURI())) {
            return false;
        }
        org.w3c.dom.Node header = security.getParentNode();
        if (header == null || !"Header".equals(header.getLocalName()) || !SOAP11_NS.equals(header.getNamespaceURI())) {
            return false;
        }
        org.w3c.dom.Node envelope = header.getParentNode();
        return envelope != null && envelope.isSameNode(e.getOwnerDocument().getDocumentElement());
    }

    /**
     * A WSS4J crypto that signs with {@code key} as it is held in memory, its certificate under {@code alias}. (A key
     * kept in a PKCS#12 key store is decrypted, PBKDF2, at every signature: about 2 ms of CPU each.)
     */
    public static Merlin signingCrypto(PrivateKey key, String alias, X509Certificate certificate) {
        Merlin m = new Merlin() {
            @Override
            public PrivateKey getPrivateKey(String identifier, String password) throws WSSecurityException {
                if (!alias.equals(identifier)) throw new WSSecurityException(WSSecurityException.ErrorCode.FAILED_SIGNATURE);
                return key;
            }
        };
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry(alias, certificate);
            m.setKeyStore(ks);
            return m;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the WS-Security key store: " + e.getMessage(), e);
        }
    }

    /** A WSS4J crypto that trusts exactly {@code trusted} (no key of its own). */
    private static Merlin trusting(List<X509Certificate> trusted) {
        try {
            Merlin m = new Merlin();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
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
